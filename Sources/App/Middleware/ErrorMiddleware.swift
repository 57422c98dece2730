import Core
import Vapor

/// The one place errors become HTTP answers: JSON `{error, message, fields}` under /api,
/// the error page elsewhere. Never a stack trace; 5xx are logged with the request id.
struct FabuErrorMiddleware: AsyncMiddleware {
    struct Body: Content {
        var error: String
        var message: String
        var fields: [String: String]
        var requestId: String
    }

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            let (status, body) = Self.describe(error, requestID: req.id)
            if status.code >= 500 {
                req.logger.error("\(String(reflecting: error))", metadata: ["request-id": .string(req.id)])
            }
            if req.url.path.hasPrefix("/api/") || req.headers.accept.mediaTypes.contains(.json) && !req.headers.accept.mediaTypes.contains(.html) {
                let res = Response(status: status)
                try res.content.encode(body, as: .json)
                if status == .unauthorized { res.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer") }
                return res
            }
            let view = ErrorPage(status: Int(status.code), title: status.code == 404 ? "页面不存在" : "出错了",
                                 message: body.message, requestId: body.requestId)
            let res = try await req.view.render("error", view).encodeResponse(for: req)
            res.status = status
            return res
        }
    }

    static func describe(_ error: Error, requestID: String) -> (HTTPResponseStatus, Body) {
        func body(_ code: String, _ message: String, _ fields: [String: String] = [:]) -> Body {
            Body(error: code, message: message, fields: fields, requestId: requestID)
        }
        switch error {
        case let e as DomainError:
            let status: HTTPResponseStatus = switch e.kind {
            case .invalid: .unprocessableEntity
            case .badRequest: .badRequest
            case .notFound: .notFound
            case .conflict: .conflict
            case .forbidden: .forbidden
            case .unauthorized: .unauthorized
            case .locked: .locked
            case .rateLimited: .tooManyRequests
            }
            return (status, body(e.code, e.message, e.fields))
        case let e as DecodingError:
            return decoding(e, body: body)
        case let e as AbortError:
            let message: String = switch e.status {
            case .notFound: "未找到该页面或记录。"
            case .payloadTooLarge: "提交的内容过大。"
            case .unsupportedMediaType: "不支持的内容类型，请以 JSON（application/json）提交。"
            case .methodNotAllowed: "不支持该请求方法。"
            case .unauthorized: "请先登录。"
            case .forbidden: "无权访问。"
            case .badRequest: "请求格式错误：\(e.reason)"
            default: e.status.code >= 500 ? "服务器内部错误，请稍后重试（请求编号 \(requestID)）。" : e.reason
            }
            let code = e.status == .notFound ? "not_found" : e.status == .payloadTooLarge ? "payload_too_large" : "http_\(e.status.code)"
            return (e.status, body(code, message))
        default:
            return (.internalServerError, body("internal_error", "服务器内部错误，请稍后重试（请求编号 \(requestID)）。"))
        }
    }

    /// Wrong types and missing keys name the field (422); JSON that does not parse is a 400.
    static func decoding(_ e: DecodingError, body: (String, String, [String: String]) -> Body) -> (HTTPResponseStatus, Body) {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        func typeName(_ t: Any.Type) -> String {
            switch String(describing: t) {
            case "String": "字符串"
            case "Int", "Int64", "Double": "数字"
            case "Bool": "布尔值（true/false）"
            case let s where s.hasPrefix("Array"): "数组"
            default: "对象"
            }
        }
        switch e {
        case .keyNotFound(let key, let ctx):
            let f = path(ctx.codingPath + [key])
            return (.unprocessableEntity, body("validation_failed", "缺少必填字段 \(f)", [f: "必填"]))
        case .valueNotFound(let t, let ctx):
            let f = path(ctx.codingPath)
            return (.unprocessableEntity, body("validation_failed", "字段 \(f) 不能为 null，应为\(typeName(t))", [f: "应为\(typeName(t))"]))
        case .typeMismatch(let t, let ctx):
            let f = path(ctx.codingPath)
            return (.unprocessableEntity, body("validation_failed", "字段 \(f) 类型错误，应为\(typeName(t))", [f: "应为\(typeName(t))"]))
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty {
                return (.badRequest, body("malformed_json", "请求体不是有效的 JSON。", [:]))
            }
            let f = path(ctx.codingPath)
            return (.unprocessableEntity, body("validation_failed", "字段 \(f) 的值无效：\(ctx.debugDescription)", [f: ctx.debugDescription]))
        @unknown default:
            return (.badRequest, body("malformed_json", "请求体无法解析。", [:]))
        }
    }
}

struct ErrorPage: Encodable {
    var status: Int
    var title: String
    var message: String
    var requestId: String
}

/// Security headers on every answer (deny framing, no sniffing, a strict CSP).
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let res = try await next.respond(to: req)
        res.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        res.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        res.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        res.headers.replaceOrAdd(name: "Content-Security-Policy",
                                 value: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        res.headers.replaceOrAdd(name: "X-Request-Id", value: req.id)
        if req.url.path.hasPrefix("/admin") || req.url.path.hasPrefix("/api/v1/auth") {
            res.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return res
    }
}
