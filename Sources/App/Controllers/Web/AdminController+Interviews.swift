import Core
import Vapor

/// `/admin/interviews`: journalists' interview requests from the portal, in the inbox of the
/// news office that answers them (SPEC R9.1; 003 §20).
extension AdminController {
    func bootInterviews(_ authed: RoutesBuilder) {
        let r = authed.grouped("interviews")
        r.get(use: interviewsPage)
        r.post(":requestID", "handled") { req async throws -> Response in
            let p = try req.requirePrincipal()
            let note = try? req.content.get(String.self, at: "note")
            do {
                try await InterviewService(db: req.db, now: req.now)
                    .markHandled(req.parameters.get("requestID", as: UUID.self), note: note, by: p.user, audit: req.auditContext)
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                return try await interviewsPage(req: req, error: e)
            }
            return req.redirect(to: "/admin/interviews?notice=interview-handled")
        }
    }

    struct InterviewsView: Encodable {
        struct Row: Encodable {
            var id: UUID
            var name: String
            var outlet: String
            var pressCard: String
            var contact: String
            var subject: String
            var wished: String
            var agency: String
            var received: String
            var handled: Bool
            var handledNote: String
            var handledAt: String
        }
        var open: [Row]
        var done: [Row]
    }

    func interviewsPage(req: Request) async throws -> Response { try await interviewsPage(req: req, error: nil) }

    func interviewsPage(req: Request, error: DomainError?) async throws -> Response {
        let p = try req.requirePrincipal()
        guard try await req.access().canSeeInterviewRequests else { throw DomainError.forbidden }
        let rows = try await InterviewService(db: req.db, now: req.now).visible(to: p.user)
        let names = Dictionary(uniqueKeysWithValues: try await AgencyModel.query(on: req.db).all().map { ($0.id!, $0.name) })
        let view = rows.map { r in
            InterviewsView.Row(id: r.id!, name: r.name, outlet: r.outlet, pressCard: r.pressCard, contact: r.contact, subject: r.subject,
                               wished: InterviewService.span(r), agency: r.agencyID.flatMap { names[$0] } ?? "（未指定）",
                               received: HourClock.wallTime(r.createdAt), handled: r.state == "handled", handledNote: r.handledNote ?? "",
                               handledAt: r.handledAt.map(HourClock.wallTime) ?? "")
        }
        return try await req.renderPage("interviews", title: "记者采访申请", nav: "interviews",
                                        body: InterviewsView(open: view.filter { !$0.handled }, done: view.filter(\.handled)),
                                        notice: Notice.text(req.query[String.self, at: "notice"]), error: error)
    }
}
