#pragma once
// Runs one asynchronous ApiClient call to completion, for the CLI (and tests) that have nothing
// else to do meanwhile:
//
//     auto page = waitFor<ItemPage>([&](QObject* ctx, auto ok, auto fail) {
//         client.listItems(query, ctx, ok, fail);
//     });
//     if (!page) report(page.error);

#include "client/ApiClient.h"

#include <QEventLoop>

#include <optional>

namespace ck {

template <typename T> struct CallResult {
    std::optional<T> value;
    ApiError error; // meaningful only when there is no value
    explicit operator bool() const { return value.has_value(); }
    const T& operator*() const { return *value; }
    const T* operator->() const { return &*value; }
};

template <typename T, typename Start> CallResult<T> waitFor(Start&& start) {
    CallResult<T> result;
    bool done = false;
    QEventLoop loop;
    QObject context; // dies with this frame, so a late answer cannot reach the locals above
    start(&context, OnSuccess<T>([&](const T& value) {
        result.value = value;
        done = true;
        loop.quit();
    }),
          OnFailure([&](const ApiError& error) {
              result.error = error;
              done = true;
              loop.quit();
          }));
    if (!done)
        loop.exec();
    return result;
}

} // namespace ck
