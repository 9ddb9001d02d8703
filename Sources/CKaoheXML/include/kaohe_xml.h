// A thin pull reader over libxml2's xmlTextReader for the parts of .xlsx workbooks. libxml2's own headers
// stay in the .c file: they pull in the system's ICU headers, which clash with Foundation's copy of ICU.
#ifndef KAOHE_XML_H
#define KAOHE_XML_H
#include <stddef.h>

typedef struct kx_reader kx_reader;

enum kx_event { KX_DONE = 0, KX_START = 1, KX_END = 2, KX_TEXT = 3, KX_ERROR = -1, KX_TOO_DEEP = -2 };

/// A reader over `len` bytes of UTF-8 XML (not copied: they must outlive the reader). Documents of any size
/// are read (libxml2's huge option); entities are not substituted and nothing is loaded from the network.
/// Elements nested deeper than `max_depth` stop the reader with KX_TOO_DEEP. NULL when out of memory.
kx_reader *kx_open(const char *bytes, size_t len, int max_depth);
void kx_close(kx_reader *r);
/// The next event. After KX_START: kx_name, kx_empty and the attributes; after KX_END: kx_name; after
/// KX_TEXT: kx_value.
int kx_next(kx_reader *r);
/// The element's local name (without its namespace prefix), NUL-terminated.
const char *kx_name(kx_reader *r);
/// Whether the element just started is empty (<c/>): no KX_END follows for it.
int kx_empty(kx_reader *r);
/// The text of a KX_TEXT event.
const char *kx_value(kx_reader *r);
/// The next attribute of the element just started (namespace declarations skipped): 1 with its local name
/// and value, 0 when there are no more.
int kx_attribute(kx_reader *r, const char **name, const char **value);
/// The line being read, and the first error's message (NULL if none) and line.
int kx_line(kx_reader *r);
const char *kx_error(kx_reader *r);
int kx_error_line(kx_reader *r);

#endif
