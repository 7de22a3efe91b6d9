# Script mode (cmake -P): writes OUTPUT, a C++ source whose function NAMESPACE::FUNCTION()
# returns the bytes of INPUT. The service carries files it feeds to other programs this way
# (service/dnsapi/lexicon/certkeeper_lexicon.py), so they need no path at run time and work the
# same from the build tree, an install and the tests.
file(READ "${INPUT}" content)
if(content MATCHES "\\)ckembed\"")
    message(FATAL_ERROR "${INPUT} contains the raw string delimiter )ckembed\"")
endif()
get_filename_component(name "${INPUT}" NAME)
set(text "// Generated from ${name} by cmake/EmbedText.cmake; edit that file instead.\n")
string(APPEND text "#include <QByteArray>\n\nnamespace ${NAMESPACE} {\n\n")
string(APPEND text "QByteArray ${FUNCTION}();\n\nQByteArray ${FUNCTION}() {\n")
string(APPEND text "    static const char text[] = R\"ckembed(${content})ckembed\";\n")
string(APPEND text "    return QByteArray(text, static_cast<qsizetype>(sizeof text - 1));\n}\n\n")
string(APPEND text "} // namespace ${NAMESPACE}\n")
file(WRITE "${OUTPUT}.new" "${text}")
file(COPY_FILE "${OUTPUT}.new" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.new")
