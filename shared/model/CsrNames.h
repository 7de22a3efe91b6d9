#pragma once
// The names a PEM certificate signing request asks for, read without OpenSSL so the app can
// show them as soon as a CSR is pasted or opened ("Use my own CSR"). For display only: the
// service reads the CSR with OpenSSL, checks its signature and decides the names.

#include <QByteArray>
#include <QStringList>

namespace ck {

struct CsrNames {
    QStringList dnsNames; // subjectAltName dNSName entries, else the subject's common name
    QString problem;      // why none could be read; empty when the CSR was read
};

CsrNames csrNamesFromPem(const QByteArray& pem);

} // namespace ck
