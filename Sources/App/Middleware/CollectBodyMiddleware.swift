import Vapor

/// Collects a streamed request body before the middleware that follows reads it. A file upload
/// arrives in several reads and is streamed, and a route collects its body only after every
/// middleware has run; without this the CSRF check, which reads `_csrf` from the form, would see
/// no form and refuse every upload larger than one read.
struct CollectBodyMiddleware: AsyncMiddleware {
    let maxSize: Int

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if req.body.data == nil { _ = try await req.body.collect(max: maxSize).get() }
        return try await next.respond(to: req)
    }
}
