# One place for the warning flags every Certkeeper target builds with.
function(certkeeper_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                             # GCC 12 reports Asio's coroutine frame allocator as
                                             # mismatched (a false positive, GCC PR 105751)
                                             $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>
                                             $<$<BOOL:${CERTKEEPER_WERROR}>:-Werror>)
endfunction()
