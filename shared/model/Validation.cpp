#include "model/Validation.h"

#include "model/CertificateAuthority.h"
#include "model/DnsCatalogue.h"
#include "model/DnsProviderTypes.h"
#include "model/PlainText.h"
#include "model/TaskValidation.h"

#include <QDir>
#include <QRegularExpression>
#include <QSet>

#include <QUrl>
#include <algorithm>

namespace ck {

namespace {
bool isLdh(QChar c) {
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
}

QString checkLabel(const QString& label) {
    if (label.isEmpty())
        return QStringLiteral("has an empty label (two dots in a row, or a leading dot)");
    if (label.size() > 63)
        return QStringLiteral("has a label longer than 63 characters");
    if (label.startsWith(u'-') || label.endsWith(u'-'))
        return QStringLiteral("has a label that starts or ends with a hyphen");
    for (QChar c : label) {
        if (c == u'*')
            return QStringLiteral("may use * only as the whole first label, as in *.example.com");
        if (!isLdh(c))
            return QStringLiteral(
                       "contains '%1'; only letters, digits, hyphens and dots are allowed")
                .arg(c);
    }
    return {};
}
// Where the http-01 file goes: an absolute folder written as it is meant, so that what the user
// reads is where the file lands ("/var/www/../../etc" is not).
QString webrootProblem(const QString& path) {
    if (!path.startsWith(u'/'))
        return QStringLiteral("'%1' is not an absolute path; give the web server's document "
                              "root, such as /var/www/html")
            .arg(path);
    if (QDir::cleanPath(path) != path)
        return QStringLiteral("'%1' is not written plainly (it has '..' or '.' parts, a double "
                              "or a trailing slash); write it as %2")
            .arg(path, QDir::cleanPath(path));
    if (path == QLatin1String("/"))
        return QStringLiteral("The filesystem root cannot be the webroot; give the web server's "
                              "document root, such as /var/www/html");
    return {};
}

// A dns-01 rule names a provider the service has, and its parameters fit that provider's
// description (unknown ones are kept: a newer app may know more).
void checkDnsProvider(const ChallengeConfig& rule, const QString& prefix,
                      const DnsCatalogue& catalogue, QList<FieldError>& errors) {
    if (rule.provider.isEmpty())
        return; // the default, RFC 2136
    const DnsProviderType* type = catalogue.find(rule.provider);
    if (!type) {
        QStringList known;
        for (const DnsProviderType& t : catalogue.providers())
            if (t.nativeProvider.isEmpty())
                known << t.id;
        errors.append({prefix + QStringLiteral("provider"),
                       QStringLiteral("There is no dns-01 provider '%1'; choose one of: %2")
                           .arg(rule.provider, known.join(QStringLiteral(", ")))});
        return;
    }
    for (const TaskParameterSpec& spec : type->parameters) {
        const QJsonValue value = rule.parameters.value(spec.key);
        const QString field = prefix + QStringLiteral("parameters.") + spec.key;
        if (spec.required && isBlankParameter(value))
            errors.append(
                {field, QStringLiteral("%1 is required for %2").arg(spec.label, type->title)});
        else if (!value.isUndefined() && !value.isNull())
            if (const QString problem = parameterValueProblem(spec, value); !problem.isEmpty())
                errors.append({field, QStringLiteral("%1 %2").arg(spec.label, problem)});
    }
}

// A delegation target is a host name whose labels may start with '_' ("_acme-challenge"); it is
// kept in lower case without the trailing dot.
QString delegationProblem(QString& target, const ChallengeConfig& rule) {
    target = target.trimmed().toLower();
    if (target.endsWith(u'.'))
        target.chop(1);
    if (target.isEmpty())
        return {};
    if (rule.type != QLatin1String("dns-01"))
        return QStringLiteral("Only dns-01 challenges can be delegated: clear the delegation or "
                              "choose dns-01");
    static const QRegularExpression label(QStringLiteral("^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?$"));
    const QStringList labels = target.split(u'.');
    const bool wellFormed = target.size() <= 253 && labels.size() >= 2 &&
                            std::all_of(labels.begin(), labels.end(),
                                        [](const QString& l) { return label.match(l).hasMatch(); });
    if (!wellFormed)
        return QStringLiteral("'%1' is not a DNS name; write the name the CNAME points to, such "
                              "as _acme-challenge.auth.example.net")
            .arg(target);
    return {};
}

// The fallback CAs: ids as a CA's are written, each once, never the item's own CA (which is
// asked first anyway), and a few at most: each is a whole request's worth of waiting.
QList<FieldError> validateFallbackAuthorities(RequestConfig& rc, const QString& primaryId) {
    QList<FieldError> errors;
    const QString field = QStringLiteral("requestConfig.fallbackCertificateAuthorityIds");
    const QString primary =
        primaryId.isEmpty() ? QString::fromLatin1(kDefaultCertificateAuthority) : primaryId;
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,62}$"));
    QStringList seen;
    for (qsizetype i = 0; i < rc.fallbackCertificateAuthorityIds.size(); ++i) {
        QString& id = rc.fallbackCertificateAuthorityIds[i];
        id = id.trimmed();
        const QString at = QStringLiteral("%1[%2]").arg(field).arg(i);
        if (!idPattern.match(id).hasMatch())
            errors.append({at, QStringLiteral("'%1' is not a CA id; use the id of a built-in or "
                                              "custom CA, such as letsencrypt")
                                   .arg(id)});
        else if (id == primary)
            errors.append({at, QStringLiteral("'%1' is this certificate's own CA, which is asked "
                                              "first; name other CAs as fallbacks")
                                   .arg(id)});
        else if (seen.contains(id))
            errors.append({at, QStringLiteral("'%1' is listed more than once").arg(id)});
        seen << id;
    }
    if (rc.fallbackCertificateAuthorityIds.size() > kMaxFallbackAuthorities)
        errors.append({field, QStringLiteral("At most %1 fallback CAs can be named; this "
                                             "certificate names %2")
                                  .arg(kMaxFallbackAuthorities)
                                  .arg(rc.fallbackCertificateAuthorityIds.size())});
    return errors;
}

QList<FieldError> validateChallenges(RequestConfig& rc, const DnsCatalogue& catalogue) {
    QList<FieldError> errors;
    for (qsizetype i = 0; i < rc.challenges.size(); ++i) {
        const QString prefix = QStringLiteral("requestConfig.challenges[%1].").arg(i);
        if (rc.challenges[i].type == QLatin1String("dns-01"))
            checkDnsProvider(rc.challenges[i], prefix, catalogue, errors);
        if (const QString problem =
                delegationProblem(rc.challenges[i].delegatedTo, rc.challenges[i]);
            !problem.isEmpty())
            errors.append({prefix + QStringLiteral("delegatedTo"), problem});
        QString& webroot = rc.challenges[i].webrootPath;
        webroot = webroot.trimmed();
        if (webroot.isEmpty())
            continue;
        if (const QString problem = webrootProblem(webroot); !problem.isEmpty())
            errors.append({prefix + QStringLiteral("webrootPath"), problem});
    }
    return errors;
}
} // namespace

DomainCheck checkDomainName(const QString& input) {
    DomainCheck result;
    QString name = input.trimmed();
    if (name.endsWith(u'.'))
        name.chop(1);
    if (name.isEmpty()) {
        result.error = QStringLiteral("A domain name cannot be empty");
        return result;
    }
    const bool wildcard = name.startsWith(QLatin1String("*."));
    const QString rest = wildcard ? name.mid(2) : name;
    // Plain ASCII labels are checked as written, so the user hears the precise reason (a hyphen
    // at the end, a label too long); labels with other characters are IDN and are converted to
    // the ASCII (punycode) form the CA and DNS use, with UTS #46 non-transitional mapping so that
    // "faß.de" stays itself instead of turning into a different domain.
    QStringList labels;
    for (const QString& raw : rest.split(u'.')) {
        bool ascii = true;
        for (QChar c : raw)
            ascii = ascii && c.unicode() < 0x80;
        QString label = raw.toLower();
        if (!ascii) {
            label = QString::fromLatin1(QUrl::toAce(raw)).toLower();
            if (label.isEmpty()) {
                result.error = QStringLiteral("'%1' is not a valid internationalized domain name")
                                   .arg(input.trimmed());
                return result;
            }
        }
        const QString problem = checkLabel(label);
        if (!problem.isEmpty()) {
            result.error = QStringLiteral("'%1' %2").arg(input.trimmed(), problem);
            return result;
        }
        labels.append(label);
    }
    const QString ace = labels.join(u'.');
    if (labels.size() < 2) {
        result.error = QStringLiteral("'%1' is not a fully qualified name; use a name such as "
                                      "www.example.com")
                           .arg(input.trimmed());
        return result;
    }
    bool numericTld = true;
    for (QChar c : labels.last())
        numericTld = numericTld && c.isDigit();
    if (numericTld) {
        result.error = QStringLiteral("'%1' looks like an IP address; IP addresses go in the IP "
                                      "identifiers, not the domain names")
                           .arg(input.trimmed());
        return result;
    }
    const QString full = wildcard ? QStringLiteral("*.") + ace : ace;
    if (full.size() > 253) {
        result.error = QStringLiteral("'%1' is longer than 253 characters").arg(input.trimmed());
        return result;
    }
    result.normalized = full;
    return result;
}

QList<FieldError> checkItemNames(const ManagedCertificate& item) {
    QList<FieldError> errors;
    if (const auto problem = lineTextProblem(item.name, QStringLiteral("The name")))
        errors.append({QStringLiteral("name"), *problem});
    auto tasks = [&](const QList<DeploymentTask>& list, const QString& listField) {
        for (qsizetype i = 0; i < list.size(); ++i)
            if (const auto problem = lineTextProblem(list[i].name, QStringLiteral("The task name")))
                errors.append({QStringLiteral("%1[%2].name").arg(listField).arg(i), *problem});
    };
    tasks(item.preRequestTasks, QStringLiteral("preRequestTasks"));
    tasks(item.postRequestTasks, QStringLiteral("postRequestTasks"));
    return errors;
}

QList<FieldError> validateManagedCertificate(ManagedCertificate& item) {
    return validateManagedCertificate(item, DnsCatalogue::builtIn());
}

QList<FieldError> validateManagedCertificate(ManagedCertificate& item,
                                             const DnsCatalogue& catalogue) {
    QList<FieldError> errors = checkItemNames(item);
    item.name = item.name.trimmed();
    if (item.name.isEmpty())
        errors.append({QStringLiteral("name"), QStringLiteral("Give the certificate a name")});
    else if (item.name.size() > kMaxItemNameLength)
        errors.append(
            {QStringLiteral("name"),
             QStringLiteral("The name is longer than %1 characters").arg(kMaxItemNameLength)});

    auto& rc = item.requestConfig;
    QStringList names;
    QSet<QString> seen;
    const QString sanField = QStringLiteral("requestConfig.subjectAlternativeNames");
    for (qsizetype i = 0; i < rc.subjectAlternativeNames.size(); ++i) {
        const auto check = checkDomainName(rc.subjectAlternativeNames[i]);
        const QString field = QStringLiteral("%1[%2]").arg(sanField).arg(i);
        if (!check.ok()) {
            errors.append({field, check.error});
            continue;
        }
        if (seen.contains(check.normalized)) {
            errors.append(
                {field, QStringLiteral("'%1' is listed more than once").arg(check.normalized)});
            continue;
        }
        seen.insert(check.normalized);
        names.append(check.normalized);
    }

    const QString primaryField = QStringLiteral("requestConfig.primaryDomain");
    if (!rc.primaryDomain.trimmed().isEmpty()) {
        const auto check = checkDomainName(rc.primaryDomain);
        if (!check.ok()) {
            errors.append({primaryField, check.error});
        } else {
            rc.primaryDomain = check.normalized;
            if (!seen.contains(check.normalized))
                names.prepend(check.normalized); // the primary is always on the certificate
        }
    } else if (!names.isEmpty()) {
        rc.primaryDomain = names.first();
    }

    const bool domainErrors = std::any_of(errors.begin(), errors.end(), [](const FieldError& e) {
        return e.field.startsWith(QLatin1String("requestConfig."));
    });
    if (names.isEmpty() && rc.ipIdentifiers.isEmpty() && !domainErrors)
        errors.append({sanField, QStringLiteral("Add at least one domain name")});
    if (names.size() > kMaxNamesPerCertificate)
        errors.append({sanField, QStringLiteral("A certificate can hold at most %1 names; this one "
                                                "has %2")
                                     .arg(kMaxNamesPerCertificate)
                                     .arg(names.size())});
    rc.subjectAlternativeNames = names;
    errors += validateChallenges(rc, catalogue);
    errors += validateFallbackAuthorities(rc, item.certificateAuthorityId);
    if (item.renewalOverride)
        errors += validateRenewalPolicy(*item.renewalOverride, QStringLiteral("renewalOverride"));
    if (item.notificationOverride)
        errors += validateNotificationTargets(*item.notificationOverride,
                                              QStringLiteral("notificationOverride"));
    errors += validateItemTasks(item);
    return errors;
}

} // namespace ck
