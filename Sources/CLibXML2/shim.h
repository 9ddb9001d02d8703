// libxml2's streaming reader, for the worksheet parts of .xlsx workbooks (Debian: libxml2-dev).
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
