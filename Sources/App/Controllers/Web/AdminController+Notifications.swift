import Core
import Vapor

/// `/admin/notifications`: the inbox of reminders, overdue and escalation notices.
extension AdminController {
    func bootNotifications(_ authed: RoutesBuilder) {
        let n = authed.grouped("notifications")
        n.get(use: notificationsPage)
        n.get("stream") { req in try await req.unreadEvents() }
        n.post(":notificationID", "read") { req async throws -> Response in
            try await req.notificationService().markRead(req.parameters.get("notificationID", as: UUID.self) ?? UUID())
            return req.redirect(to: "/admin/notifications")
        }
        n.post("read-all") { req async throws -> Response in
            try await req.notificationService().markRead(nil)
            return req.redirect(to: "/admin/notifications")
        }
    }

    struct NotificationsView: Encodable {
        var unread: Int
        var items: [NotificationDTO]
    }

    func notificationsPage(req: Request) async throws -> Response {
        let s = try await req.notificationService()
        let items = try await s.list(unreadOnly: false).map(NotificationDTO.init)
        return try await req.renderPage("notifications", title: "通知", nav: "notifications",
                                        body: NotificationsView(unread: items.filter { !$0.read }.count, items: items))
    }
}
