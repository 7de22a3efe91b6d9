#pragma once
// A tiny DNS client for tests only: enough of RFC 1035 to ask a peer (BIND9,
// pebble-challtestsrv) one question over UDP or TCP and read the answer records. No EDNS,
// no DNSSEC, no retries beyond UDP -> TCP on truncation.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ck::test::dns {

enum Type : quint16 { A = 1, NS = 2, SOA = 6, TXT = 16, AAAA = 28, TSIG = 250 };
enum Class : quint16 { IN = 1, NONE = 254, ANY = 255 };
enum Rcode { NoError = 0, FormErr = 1, ServFail = 2, NXDomain = 3, Refused = 5, NotAuth = 9 };

struct Record {
    QString name; // lower case, with the trailing dot
    quint16 type = 0;
    quint16 klass = 0;
    quint32 ttl = 0;
    QByteArray rdata; // as on the wire (names inside it may be compressed)
};

struct Message {
    quint16 id = 0;
    quint16 flags = 0;
    int rcode() const { return flags & 0xF; }
    bool truncated() const { return (flags & 0x0200) != 0; }
    bool authoritative() const { return (flags & 0x0400) != 0; }
    QList<Record> answers;
    QList<Record> authority;
    QList<Record> additional;
};

// Wire building blocks (big-endian), also used by tests that build UPDATE messages.
void appendU16(QByteArray& out, quint16 value);
void appendU32(QByteArray& out, quint32 value);
QByteArray encodeName(const QString& name); // uncompressed, lower-cased; "." is the root

// A query with one question, recursion not desired.
QByteArray buildQuery(quint16 id, const QString& name, quint16 type);
std::optional<Message> parse(const QByteArray& wire);

// Sends `message` to 127.0.0.1-style `host`:`port` and returns the raw answer (empty and
// `error` set on failure). TCP adds the two-byte length prefix itself.
QByteArray exchange(const QString& host, int port, const QByteArray& message, bool tcp,
                    int timeoutMs, QString* error = nullptr);

// One question over UDP, repeated over TCP if the answer is truncated.
std::optional<Message> query(const QString& host, int port, const QString& name, quint16 type,
                             int timeoutMs = 2000, QString* error = nullptr);

// The character-strings of one TXT record, concatenated (as ACME's dns-01 reads them).
QString txtValue(const QByteArray& rdata);
// "a.b.c.d" from an A record.
QString ipv4(const QByteArray& rdata);

} // namespace ck::test::dns
