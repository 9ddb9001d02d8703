#include "kaohe_xml.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct kx_reader {
    xmlTextReaderPtr reader;
    int max_depth;
    int in_attributes;
    char error[512];
    int has_error;
    int error_line;
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init_library(void) { xmlInitParser(); }

static void on_error(void *context, xmlErrorPtr error) {
    kx_reader *r = context;
    if (r->has_error || error == NULL) return;
    r->has_error = 1;
    r->error_line = error->line;
    const char *m = error->message ? error->message : "unreadable XML";
    size_t n = strlen(m);
    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
    if (n >= sizeof r->error) n = sizeof r->error - 1;
    memcpy(r->error, m, n);
    r->error[n] = 0;
}

kx_reader *kx_open(const char *bytes, size_t len, int max_depth) {
    pthread_once(&once, init_library);
    if (len > INT_MAX) return NULL;
    kx_reader *r = calloc(1, sizeof *r);
    if (r == NULL) return NULL;
    r->max_depth = max_depth;
    r->reader = xmlReaderForMemory(bytes, (int)len, NULL, "UTF-8",
                                   XML_PARSE_HUGE | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (r->reader == NULL) { free(r); return NULL; }
    xmlTextReaderSetStructuredErrorHandler(r->reader, on_error, r);
    return r;
}

void kx_close(kx_reader *r) {
    if (r == NULL) return;
    xmlFreeTextReader(r->reader);
    free(r);
}

int kx_next(kx_reader *r) {
    if (r->in_attributes) { xmlTextReaderMoveToElement(r->reader); r->in_attributes = 0; }
    for (;;) {
        int got = xmlTextReaderRead(r->reader);
        if (got == 0) return r->has_error ? KX_ERROR : KX_DONE;
        if (got < 0) return KX_ERROR;
        switch (xmlTextReaderNodeType(r->reader)) {
        case XML_READER_TYPE_ELEMENT:
            if (xmlTextReaderDepth(r->reader) >= r->max_depth) return KX_TOO_DEEP;
            return KX_START;
        case XML_READER_TYPE_END_ELEMENT:
            return KX_END;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
            return KX_TEXT;
        default:
            break;
        }
    }
}

const char *kx_name(kx_reader *r) {
    const xmlChar *n = xmlTextReaderConstLocalName(r->reader);
    return n ? (const char *)n : "";
}

int kx_empty(kx_reader *r) { return xmlTextReaderIsEmptyElement(r->reader) == 1; }

const char *kx_value(kx_reader *r) {
    const xmlChar *v = xmlTextReaderConstValue(r->reader);
    return v ? (const char *)v : "";
}

int kx_attribute(kx_reader *r, const char **name, const char **value) {
    while (xmlTextReaderMoveToNextAttribute(r->reader) == 1) {
        r->in_attributes = 1;
        if (xmlTextReaderIsNamespaceDecl(r->reader) == 1) continue;
        const xmlChar *n = xmlTextReaderConstLocalName(r->reader), *v = xmlTextReaderConstValue(r->reader);
        *name = n ? (const char *)n : "";
        *value = v ? (const char *)v : "";
        return 1;
    }
    return 0;
}

int kx_line(kx_reader *r) { return xmlTextReaderGetParserLineNumber(r->reader); }
const char *kx_error(kx_reader *r) { return r->has_error ? r->error : NULL; }
int kx_error_line(kx_reader *r) { return r->error_line; }
