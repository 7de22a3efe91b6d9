#pragma once
// A loopback port that accepts connections (the kernel completes them) and never answers: the
// provider that hangs, for the tests of time limits. FAILs the test when no socket can be had.

#include <catch2/catch.hpp>

#include <QString>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ck::test {

struct SilentServer {
    int fd = -1;
    int port = 0;
    SilentServer() {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0 ||
            ::listen(fd, 16) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
            FAIL("no loopback socket");
        port = ntohs(a.sin_port);
    }
    ~SilentServer() { ::close(fd); }
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port); }
};

} // namespace ck::test
