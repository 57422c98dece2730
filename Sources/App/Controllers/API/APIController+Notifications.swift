import Core
import Fluent
import Vapor

/// `/api/v1/notifications` (the caller's inbox, with a server-sent-events stream of the unread
/// count) and `/api/v1/webhooks` (administrator).
extension APIController {
    func bootNotifications(_ authed: RoutesBuilder) {
        let n = authed.grouped("notifications")
        n.get { req async throws -> [NotificationDTO] in
            let s = try await req.notificationService()
            return try await s.list(unreadOnly: req.query[Bool.self, at: "unread"] ?? false).map(NotificationDTO.init)
        }
        n.get("unread-count") { req async throws -> UnreadDTO in
            UnreadDTO(unread: try await req.notificationService().unreadCount())
        }
        n.get("stream") { req in try await req.unreadEvents() }
        n.post(":notificationID", "read") { req async throws -> HTTPStatus in
            try await req.notificationService().markRead(req.parameters.get("notificationID", as: UUID.self) ?? UUID())
            return .noContent
        }
        n.post("read-all") { req async throws -> HTTPStatus in
            try await req.notificationService().markRead(nil)
            return .noContent
        }

        let w = authed.grouped("webhooks")
        w.get { req async throws -> [WebhookDTO] in try await req.notificationService().webhooks().map { WebhookDTO($0) } }
        w.post { req async throws -> Response in
            let hook = try await req.notificationService().createWebhook(try req.content.decode(WebhookInput.self))
            return try await WebhookDTO(hook, showSecret: true).encodeResponse(status: .created, for: req)
        }
        w.patch(":webhookID") { req async throws -> WebhookDTO in
            let input = try req.content.decode(WebhookActiveInput.self)
            return WebhookDTO(try await req.notificationService().setWebhookActive(req.parameters.get("webhookID", as: UUID.self), active: input.active))
        }
        w.get(":webhookID", "deliveries") { req async throws -> [WebhookDeliveryDTO] in
            try await req.notificationService().deliveries(req.parameters.get("webhookID", as: UUID.self)).map(WebhookDeliveryDTO.init)
        }
    }
}
