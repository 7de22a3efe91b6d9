#pragma once
// Helpers for the dns-01 provider tests (and the deployment tests, which run scripts too):
// running one coroutine to completion on a private io_context, executable scripts in a temporary
// folder, and the RFC 2136 settings that match a running Bind9Process.

#include "Bind9Process.h"
#include "base/Async.h"
#include "challenges/Rfc2136Provider.h"

#include <catch2/catch.hpp>

#include <QFile>
#include <QTemporaryDir>

#include <chrono>
#include <exception>
#include <optional>
#include <thread>

namespace ck::test {

// Runs `a` on a fresh io_context on this thread and returns its result or rethrows. The
// io_context has no work guard on purpose: ProcessRunner::offload must keep it alive itself.
template <typename T> T runSync(awaitable<T> a) {
    asio::io_context ioc;
    std::exception_ptr error;
    std::optional<T> result;
    asio::co_spawn(ioc, std::move(a), [&](std::exception_ptr e, T value) {
        error = e;
        if (!e)
            result = std::move(value);
    });
    ioc.run();
    if (error)
        std::rethrow_exception(error);
    if (!result)
        throw std::runtime_error("the coroutine did not finish: io_context ran out of work");
    return std::move(*result);
}

inline void runSync(awaitable<void> a) {
    asio::io_context ioc;
    std::exception_ptr error;
    bool done = false;
    asio::co_spawn(ioc, std::move(a), [&](std::exception_ptr e) {
        error = e;
        done = true;
    });
    ioc.run();
    if (error)
        std::rethrow_exception(error);
    if (!done)
        throw std::runtime_error("the coroutine did not finish: io_context ran out of work");
}

// The error of type E the coroutine throws; FAILs the test when it throws none.
template <typename E, typename T> E errorOf(awaitable<T> a) {
    try {
        runSync(std::move(a));
    } catch (const E& e) {
        return e;
    }
    FAIL("no error of the expected kind was thrown");
    return E(QString());
}

// An executable /bin/sh script `name` in `dir` with `body` after the #! line; its path.
inline QString writeScript(const QTemporaryDir& dir, const QString& name, const QString& body) {
    const QString path = dir.filePath(name);
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("#!/bin/sh\n" + body.toUtf8());
    f.close();
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

inline challenges::Rfc2136Settings settingsFor(const Bind9Process& bind) {
    challenges::Rfc2136Settings s;
    s.server = bind.address();
    s.port = bind.port();
    s.tsigKeyName = bind.keyName();
    s.tsigAlgorithm = bind.algorithm();
    s.tsigSecretBase64 = bind.keySecretBase64();
    s.timeout = std::chrono::seconds(3);
    return s;
}

inline double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace ck::test
