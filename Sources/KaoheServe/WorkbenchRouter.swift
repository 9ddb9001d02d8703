public import Hummingbird
public import HTTPTypes
import Foundation
import Kaohe

/// The JSON API's and the pages' routes over a `Workbench`, behind the token check (when the server has a token) and the
/// CSRF check of every POST. Every error, the router's own 404 included, is answered as `WorkbenchError` JSON.
///
/// - `GET /api/session` → `{"csrf": "<secret>"}`: what a page sends back in `X-Kaohe-CSRF`.
/// - `GET /api/policies`, `GET /api/datasets`: what the root holds.
/// - `POST /api/whatif`: an edited policy scored against the unedited one (`WhatIfRequest`).
/// - `POST /api/save`: the edits saved as next year's policy (`SaveRequest`).
/// - `POST /api/upload`: files made into a new data set, if they load (`UploadRequest`).
/// - The pages: `/` (what the root holds), `/score`, `/unit`, `/whatif`, `/policy` (check, tests, diff with the
///   parent), `/diff`, `/compare`, `/history`, `/history/compare`, `/upload`; `/download/{bulletin,xlsx,form}`.
public enum WorkbenchRouter {
    public static let csrfHeader = HTTPField.Name("X-Kaohe-CSRF")!
    public static let tokenCookie = "kaohe_token"

    /// `token`: what every request must carry (nil: none, for loopback).
    public static func make(_ workbench: Workbench, token: String?) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        if token == nil { router.add(middleware: LoopbackHostMiddleware()) }
        router.add(middleware: TokenMiddleware(token: token))
        router.add(middleware: CSRFMiddleware(secret: workbench.csrfToken))
        router.get("/api/session") { _, _ in
            var w = JSONWriter()
            w.beginObject()
            w.field("csrf", string: workbench.csrfToken)
            w.endObject()
            w.raw("\n")
            return json(200, w.bytes)
        }
        router.get("/api/policies") { _, _ in json(200, try await workbench.policiesJSON()) }
        router.get("/api/datasets") { _, _ in json(200, try await workbench.datasetsJSON()) }
        router.post("/api/whatif") { request, _ in
            let body = try await WorkbenchRouter.body(request, limit: workbench.configuration.maxBodyBytes)
            // the server's time for the what-if (parse, edit, load, score, compare, write), for scripts/bench-workbench
            let clock = ContinuousClock(), start = clock.now
            var response = json(200, try await workbench.whatIf(body))
            let ms = (clock.now - start) / .milliseconds(1)
            response.headers[HTTPField.Name("Server-Timing")!] = "whatif;dur=" + String(format: "%.1f", ms)
            return response
        }
        router.post("/api/save") { request, _ in
            let body = try await WorkbenchRouter.body(request, limit: workbench.configuration.maxBodyBytes)
            return json(201, try await workbench.save(body))
        }
        router.post("/api/upload") { request, _ in
            let body = try await WorkbenchRouter.body(request, limit: Workbench.maxUploadBody)
            return json(201, try await workbench.upload(body))
        }
        // the pages (HTML; an error is a page too)
        router.get("/") { _, _ in await page(workbench) { try await workbench.indexPage() } }
        router.get("/score") { r, _ in
            await page(workbench) { try await workbench.scorePage(policy: try query(r, "policy"), data: try query(r, "data")) }
        }
        router.get("/unit") { r, _ in
            await page(workbench) {
                try await workbench.unitPage(policy: try query(r, "policy"), data: try query(r, "data"), unit: try query(r, "unit"))
            }
        }
        router.get("/whatif") { r, _ in
            await page(workbench) { try await workbench.whatIfPage(policy: try query(r, "policy"), data: try query(r, "data")) }
        }
        router.get("/upload") { r, _ in await page(workbench) { try await workbench.uploadPage(policy: try query(r, "policy")) } }
        router.get("/policy") { r, _ in
            await page(workbench) { try await workbench.policyPage(policy: try query(r, "policy"), data: query(r, optional: "data")) }
        }
        router.get("/diff") { r, _ in
            await page(workbench) { try await workbench.diffPage(old: try query(r, "old"), new: try query(r, "new"), data: query(r, optional: "data")) }
        }
        router.get("/compare") { r, _ in
            await page(workbench) { try await workbench.comparePage(old: try query(r, "old"), new: try query(r, "new"), data: try query(r, "data")) }
        }
        router.get("/download/:kind") { r, context in
            do {
                guard let kind = context.parameters.get("kind").flatMap(Workbench.DownloadKind.init(rawValue:)) else {
                    throw WorkbenchError(status: 404, code: "route.not-found", "downloads are "
                                         + Workbench.DownloadKind.allCases.map { "/download/\($0.rawValue)" }.joined(separator: ", "))
                }
                let d = try await workbench.download(kind, policy: try query(r, "policy"), data: try query(r, "data"), unit: query(r, optional: "unit"))
                return Response(status: .ok, headers: [.contentType: d.contentType, .cacheControl: "no-store",
                                                       .contentDisposition: "attachment; filename=\"\(d.filename)\"",
                                                       HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: d.bytes)))
            } catch {
                return await page(workbench) { throw error }
            }
        }
        router.get("/history") { _, _ in await page(workbench) { try await workbench.historyPage() } }
        router.get("/history/compare") { r, _ in
            await page(workbench) { try await workbench.historyComparePage(a: try query(r, "a"), b: try query(r, "b")) }
        }
        return router
    }

    /// A page's answer: its HTML, or the error as a page with the error's status. Pages load nothing from
    /// elsewhere (the Content-Security-Policy allows only inline style and script and requests to this
    /// server), are not cached and send no referrer (a URL may hold the token).
    static func page(_ workbench: Workbench, _ render: () async throws -> String) async -> Response {
        let status: Int, text: String
        do {
            (status, text) = (200, try await render())
        } catch {
            let e = WorkbenchError.from(error)
            (status, text) = (e.status, WorkbenchPage.error(e, workbench.context(.zh), language: .zh))
        }
        return Response(status: HTTPResponse.Status(code: status),
                        headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                  .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                                      + "img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                                  HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "no-referrer"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A page's query parameter (a path relative to the root, a unit id), required.
    static func query(_ request: Request, _ name: String) throws(WorkbenchError) -> String {
        guard let value = query(request, optional: name) else {
            throw .badRequest("page.missing-query", "this page needs ?\(name)=… (\(name == "unit" ? "a unit's id or name" : "a path relative to the root"))")
        }
        return value
    }

    static func query(_ request: Request, optional name: String) -> String? {
        request.uri.queryParameters[Substring(name)].flatMap { $0.isEmpty ? nil : String($0) }
    }

    static func json(_ status: Int, _ bytes: [UInt8]) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(_ error: WorkbenchError) -> Response { json(error.status, error.jsonBytes) }

    /// The request's body, refused (413) beyond `limit` bytes.
    static func body(_ request: Request, limit: Int) async throws -> [UInt8] {
        let tooLarge = WorkbenchError(status: 413, code: "request.too-large", "the request body is larger than \(limit) bytes")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw tooLarge
        }
        return Array(buffer.readableBytesView)
    }
}

/// Answers every error below it as `WorkbenchError` JSON (Hummingbird's own errors keep their status).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "route.not-found" : "http.\(error.status.code)"
            let message = error.status == .notFound ? "no such API: \(request.method) \(request.uri.path)" : (error.body ?? error.status.reasonPhrase)
            return WorkbenchRouter.json(WorkbenchError(status: error.status.code, code: code, message))
        } catch {
            return WorkbenchRouter.json(WorkbenchError.from(error))
        }
    }
}

/// With a token, refuses (401) a request that carries it in none of `Authorization: Bearer`, the
/// `kaohe_token` cookie or `?token=` (which sets the cookie, so a page opened from the printed URL works).
struct TokenMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token else { return try await next(request, context) }
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        let cookie = request.cookies[WorkbenchRouter.tokenCookie]?.value
        let query = request.uri.queryParameters["token"].map(String.init)
        guard [bearer, cookie, query].contains(where: { $0.map { TokenMiddleware.same($0, token) } ?? false }) else {
            let given = bearer != nil || cookie != nil || query != nil
            throw WorkbenchError(status: 401, code: given ? "auth.bad-token" : "auth.no-token",
                                 given ? "the token is not this server's" : "this server needs its token (printed when it started): "
                                 + "open the printed URL, or send Authorization: Bearer <token>")
        }
        var response = try await next(request, context)
        if let query, TokenMiddleware.same(query, token), cookie.map({ !TokenMiddleware.same($0, token) }) ?? true {
            response.setCookie(Cookie(name: WorkbenchRouter.tokenCookie, value: token, path: "/", httpOnly: true, sameSite: .strict))
        }
        return response
    }

    /// Compares in time that does not depend on where the strings differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Without a token, refuses (403) a request whose Host names anything but a loopback address: a page of another
/// site that re-points its own name at 127.0.0.1 (DNS rebinding) sends its name as Host, and gets nothing.
struct LoopbackHostMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard LoopbackHostMiddleware.allows(request.head.authority) else {
            throw WorkbenchError.forbidden("host.not-loopback", "the request's Host is '\(request.head.authority ?? "")'; "
                                           + "this server answers only at a loopback address (give --token to serve other names)")
        }
        return try await next(request, context)
    }

    /// Whether a Host header (`127.0.0.1:8023`, `localhost`, `[::1]:8023`) names loopback; no Host is allowed.
    static func allows(_ authority: String?) -> Bool {
        guard let authority, !authority.isEmpty else { return true }
        var host = Substring(authority)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        return WorkbenchConfiguration.isLoopback(host.lowercased())
    }
}

/// Refuses (403) any request but GET and HEAD whose `X-Kaohe-CSRF` header is not the server's secret.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let secret: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method != .get && request.method != .head {
            guard let given = request.headers[WorkbenchRouter.csrfHeader] else {
                throw WorkbenchError.forbidden("csrf.missing", "a \(request.method) needs the X-Kaohe-CSRF header (GET /api/session gives it)")
            }
            guard TokenMiddleware.same(given, secret) else {
                throw WorkbenchError.forbidden("csrf.bad", "the X-Kaohe-CSRF header is not this server's (GET /api/session gives it)")
            }
        }
        return try await next(request, context)
    }
}
