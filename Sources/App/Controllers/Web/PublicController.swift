import Core
import Fluent
import Vapor

/// `/`: the public 新闻发布 column — each jurisdiction's previews, records and published
/// spokesperson lists. Shows only what `Publication` and the published editions allow.
struct PublicController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        // The interview form carries a one-time question: never cached.
        routes.get("j", ":jurisdictionID", "interview", use: interviewForm)
        routes.post("j", ":jurisdictionID", "interview", use: interviewSubmit)
        let routes = routes.grouped(PortalCacheMiddleware())
        routes.get(use: home)
        routes.get("roster", ":editionID", use: edition)
        routes.get("j", ":jurisdictionID", use: column)
        routes.get("j", ":jurisdictionID", "feed.rss") { req in try await feed(req, atom: false) }
        routes.get("j", ":jurisdictionID", "feed.atom") { req in try await feed(req, atom: true) }
        routes.get("j", ":jurisdictionID", ":column", use: listing)
        routes.get("j", ":jurisdictionID", ":column", "feed.rss") { req in try await feed(req, atom: false) }
        routes.get("j", ":jurisdictionID", ":column", "feed.atom") { req in try await feed(req, atom: true) }
        routes.get("search", use: search)
        routes.get("sitemap.xml", use: sitemap)
        routes.get("a11y") { req in try ReaderMode.set(req) }
        routes.get("releases", ":activityID", use: record)
        routes.get("releases", ":activityID", "files", ":documentID", use: file)
        routes.get("healthz", use: health)
        // A constant answer through the same middleware: the baseline of the portal benchmark
        // (scripts/bench-portal.sh), the cost of the server itself.
        routes.get("bench", "hello") { _ in "hello" }
    }

    struct HomeView: Encodable {
        var jurisdictions: [Group]
        struct Group: Encodable {
            var id: String
            var name: String
            var editions: [EditionSummaryDTO]
            var latest: [PortalService.Item]
        }
    }

    func home(req: Request) async throws -> View {
        let editions = try await RosterEditionModel.query(on: req.db).sort(\.$year, .descending).sort(\.$number, .descending).all()
        let portal = PortalService(db: req.db, now: req.now)
        var groups: [HomeView.Group] = []
        for j in try await JurisdictionModel.query(on: req.db).sort(\.$sortOrder).all() {
            let column = try await portal.column(j, limit: 3)
            groups.append(HomeView.Group(id: j.id!, name: j.name, editions: editions.filter { $0.jurisdictionID == j.id }.map(RosterService.editionSummary),
                                         latest: column.previews.prefix(2) + column.records))
        }
        return try await req.renderPortal("public-home", HomeView(jurisdictions: groups))
    }

    // MARK: the release column (SPEC §11)

    func column(req: Request) async throws -> View {
        let portal = PortalService(db: req.db, now: req.now)
        let j = try await portal.jurisdiction(req.parameters.get("jurisdictionID"))
        return try await req.renderPortal("public-column", try await portal.column(j))
    }

    func record(req: Request) async throws -> View {
        let portal = PortalService(db: req.db, now: req.now)
        return try await req.renderPortal("public-record", try await portal.record(req.parameters.get("activityID", as: UUID.self)))
    }

    /// The column named in the path, or 404 for any other word.
    func portalColumn(_ req: Request) throws -> PortalColumn? {
        guard let raw = req.parameters.get("column") else { return nil }
        guard let c = PortalColumn(rawValue: raw) else { throw DomainError.notFound("栏目") }
        return c
    }

    func listing(req: Request) async throws -> View {
        let portal = PortalService(db: req.db, now: req.now)
        let j = try await portal.jurisdiction(req.parameters.get("jurisdictionID"))
        let column = try portalColumn(req) ?? .records
        return try await req.renderPortal("public-list", try await portal.listing(j, column: column, page: req.query[String.self, at: "page"]))
    }

    /// `/search?q=…&j=…&page=…`: published releases containing every word of `q`.
    func search(req: Request) async throws -> View {
        let portal = PortalService(db: req.db, now: req.now)
        let rawJ = req.query[String.self, at: "j"] ?? ""
        let j = rawJ.isEmpty ? nil : try await portal.jurisdiction(rawJ)
        var listing = try await portal.search(req.query[String.self, at: "q"], jurisdiction: j, page: req.query[String.self, at: "page"])
        listing.choices = try await JurisdictionModel.query(on: req.db).sort(\.$sortOrder).all().map { .init(id: $0.id!, name: $0.name) }
        return try await req.renderPortal("public-search", listing)
    }

    /// RSS 2.0 or Atom of a jurisdiction (previews and records) or of one of its columns.
    func feed(_ req: Request, atom: Bool) async throws -> Response {
        let portal = PortalService(db: req.db, now: req.now)
        let j = try await portal.jurisdiction(req.parameters.get("jurisdictionID"))
        let column = try portalColumn(req)
        let page = "/j/\(j.id!)" + (column.map { "/\($0.rawValue)" } ?? "")
        let channel = PortalFeeds.Channel(title: "\(j.name)新闻发布" + (column.map { " · \($0.label)" } ?? ""),
                                          description: column.map { "\(j.name)\($0.label)" } ?? "\(j.name)新闻发布预告与发布实录",
                                          author: j.name, page: page, feed: page + "/feed")
        let entries = try await PortalFeeds.entries(req.db, .init(jurisdiction: j.id!, column: column))
        let base = req.application.settings.publicURL
        let xml = atom ? PortalFeeds.atom(base: base, channel, entries: entries) : PortalFeeds.rss(base: base, channel, entries: entries)
        let res = Response(status: .ok, body: .init(string: xml))
        res.headers.replaceOrAdd(name: .contentType, value: atom ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8")
        return res
    }

    func sitemap(req: Request) async throws -> Response {
        var paths = ["/"]
        let jurisdictions = try await JurisdictionModel.query(on: req.db).sort(\.$sortOrder).all()
        for j in jurisdictions { paths += ["/j/\(j.id!)"] + PortalColumn.allCases.map { "/j/\(j.id!)/\($0.rawValue)" } }
        paths += try await RosterEditionModel.query(on: req.db).all().map { "/roster/\($0.id!)" }
        // A sitemap holds at most 50,000 addresses: the newest records fill what is left.
        paths += try await PortalFeeds.entries(req.db, .init(), limit: 50_000 - paths.count).map { "/releases/\($0.id)" }
        let res = Response(status: .ok, body: .init(string: PortalFeeds.sitemap(base: req.application.settings.publicURL, paths: paths)))
        res.headers.replaceOrAdd(name: .contentType, value: "application/xml; charset=utf-8")
        return res
    }

    func file(req: Request) async throws -> Response {
        let portal = PortalService(db: req.db, now: req.now)
        let doc = try await portal.file(req.parameters.get("activityID", as: UUID.self), document: req.parameters.get("documentID", as: UUID.self))
        guard UUID(uuidString: doc.storageKey) != nil,
              let data = FileManager.default.contents(atPath: req.application.settings.attachmentsDirectory + "/" + doc.storageKey) else {
            throw DomainError.notFound("附件")
        }
        return DocumentResponse.make(doc, data)
    }

    struct EditionView: Encodable {
        var edition: EditionDTO
        var jurisdictionName: String
        var others: [EditionSummaryDTO]
    }

    func edition(req: Request) async throws -> View {
        guard let id = req.parameters.get("editionID", as: UUID.self), let e = try await RosterEditionModel.find(id, on: req.db) else {
            throw DomainError.notFound("名单")
        }
        let j = try await JurisdictionModel.find(e.jurisdictionID, on: req.db)
        let others = try await RosterEditionModel.query(on: req.db).filter(\.$jurisdictionID == e.jurisdictionID)
            .sort(\.$year, .descending).sort(\.$number, .descending).all().filter { $0.id != e.id }
        return try await req.renderPortal("public-edition", EditionView(edition: RosterService.editionDTO(e), jurisdictionName: j?.name ?? "",
                                                                       others: others.map(RosterService.editionSummary)))
    }

    // MARK: 记者采访申请 (SPEC R9.1; 003 §20)

    /// What the form sent, field by field: one field of the wrong type or bytes loses only itself.
    struct InterviewFormBody: Encodable {
        var name, outlet, pressCard, contact, subject, wishedFrom, wishedTo, agency: String?

        init() {}

        init(_ req: Request) {
            // Kept for the form at most a little past each field's limit, never a whole flood.
            func field(_ key: String) -> String? { (try? req.content.get(String.self, at: key)).map { String($0.prefix(600)) } }
            (name, outlet, pressCard, contact, subject) = (field("name"), field("outlet"), field("pressCard"), field("contact"), field("subject"))
            (wishedFrom, wishedTo, agency) = (field("wishedFrom"), field("wishedTo"), field("agency"))
        }
    }

    struct InterviewView: Encodable {
        var jurisdiction: String
        var jurisdictionName: String
        var agencies: [PortalService.ColumnLink]
        var values: InterviewFormBody
        var question: String
        var token: String
        var errors: [String: String]
        var message: String
        var receipt: String
    }

    /// The cookie naming the question this browser was shown: SameSite=Strict, so a form posted
    /// from another site (with a question fetched elsewhere) is refused.
    static let questionCookie = "fabu_question"

    func interviewForm(req: Request) async throws -> Response {
        let j = try await PortalService(db: req.db, now: req.now).jurisdiction(req.parameters.get("jurisdictionID"))
        // After a request is filed the browser comes back here (so a reload does not send it again).
        let received = req.query[String.self, at: "received"].flatMap { r in r.count == 8 && r.allSatisfy(\.isHexDigit) ? r : nil }
        return try await renderInterview(req, j, values: InterviewFormBody(), error: nil, receipt: received ?? "")
    }

    func interviewSubmit(req: Request) async throws -> Response {
        let j = try await PortalService(db: req.db, now: req.now).jurisdiction(req.parameters.get("jurisdictionID"))
        let body = InterviewFormBody(req)
        let form = InterviewRequestForm(name: body.name, outlet: body.outlet, pressCard: body.pressCard, contact: body.contact,
                                        subject: body.subject, wishedFrom: body.wishedFrom, wishedTo: body.wishedTo)
        do {
            let r = try await InterviewService(db: req.db, now: req.now).submit(j, .init(
                form: form, agency: body.agency, answer: try? req.content.get(String.self, at: "answer"),
                token: try? req.content.get(String.self, at: "token"), shownNonce: req.cookies[Self.questionCookie]?.string,
                address: req.senderAddress))
            return req.redirect(to: "/j/\(j.id!)/interview?received=\(r.id!.uuidString.prefix(8))")
        } catch let e as DomainError where e.kind == .invalid || e.kind == .rateLimited {
            return try await renderInterview(req, j, values: body, error: e, receipt: "")
        }
    }

    func renderInterview(_ req: Request, _ j: JurisdictionModel, values: InterviewFormBody, error: DomainError?, receipt: String) async throws -> Response {
        let service = InterviewService(db: req.db, now: req.now)
        let (question, token, nonce) = try await service.challenge()
        let agencies = try await service.agencies(of: j.id!).map { PortalService.ColumnLink(id: $0.id!.uuidString, name: $0.name) }
        let view = InterviewView(jurisdiction: j.id!, jurisdictionName: j.name, agencies: agencies, values: values, question: question,
                                 token: token, errors: error?.fields ?? [:], message: error?.message ?? "", receipt: receipt)
        let res = try await req.renderPortal("public-interview", view).encodeResponse(for: req)
        if let error { res.status = FabuErrorMiddleware.describe(error, requestID: req.id).0 }
        res.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        res.cookies[Self.questionCookie] = HTTPCookies.Value(string: nonce, maxAge: Int(PortalChallenge.lifetime), path: "/j/\(j.id!)/interview",
                                                            isSecure: req.application.settings.secureCookies, isHTTPOnly: true, sameSite: .strict)
        return res
    }

    /// 200 when the database answers, 503 otherwise.
    func health(req: Request) async throws -> Response {
        do {
            _ = try await JurisdictionModel.query(on: req.db).count()
            return try await HealthDTO(status: "ok", database: "ok").encodeResponse(for: req)
        } catch {
            req.logger.error("health check: database unavailable: \(error)")
            return try await HealthDTO(status: "unavailable", database: "error").encodeResponse(status: .serviceUnavailable, for: req)
        }
    }
}
