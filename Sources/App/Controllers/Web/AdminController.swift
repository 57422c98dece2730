import Core
import Fluent
import Vapor

/// The staff UI under `/admin`: server-rendered, works without JavaScript.
struct AdminController: RouteCollection {
    /// The largest document accepted (`Settings.maxUploadBytes`).
    var maxUpload = 20 * 1_048_576

    func boot(routes: RoutesBuilder) throws {
        let admin = routes.grouped("admin").grouped(SessionAuthMiddleware())
        admin.get("login", use: loginPage)
        admin.post("login", use: login)

        let loggedIn = admin.grouped(RequireLoginMiddleware(web: true))
        let authed = loggedIn.grouped(CSRFMiddleware())
        // File uploads: the body is collected (up to the route's limit) before the CSRF check reads `_csrf` from it.
        func uploads(max: Int) -> RoutesBuilder {
            loggedIn.grouped(CollectBodyMiddleware(maxSize: max)).grouped(CSRFMiddleware())
        }
        authed.post("logout", use: logout)
        authed.get(use: dashboard)
        authed.get("agencies", use: agencies)
        authed.get("agencies", ":agencyID", use: rosterPage)
        authed.post("agencies", ":agencyID", "people", use: addPerson)
        authed.post("agencies", ":agencyID", "positions", use: appoint)
        authed.post("positions", ":positionID", "end", use: endPosition)
        authed.post("agencies", ":agencyID", "filings", use: submitFiling)
        authed.get("filings", use: filings)
        authed.post("filings", ":filingID", "accept", use: acceptFiling)
        authed.post("filings", ":filingID", "return", use: returnFiling)
        authed.get("editions", use: editions)
        authed.post("editions", use: publishEdition)
        authed.get("jurisdictions", ":jurisdictionID", "roster.csv", use: exportCSV)
        authed.get("audit", use: auditPage)
        bootCalendar(authed, uploads: uploads(max: Self.noticeMaxBytes))
        bootReleases(authed, uploads: uploads(max: maxUpload + 65_536))
        bootNotifications(authed)
        bootInterviews(authed)
        bootIncidents(authed)
    }

    // MARK: login

    struct LoginView: Encodable {
        var csrf: String
        var next: String
        var username: String
        var error: String?
    }

    static let loginCSRFCookie = "fabu_login_csrf"

    func loginPage(req: Request) async throws -> Response {
        if req.principal != nil { return req.redirect(to: "/admin") }
        return try await renderLogin(req, username: "", error: nil, status: .ok)
    }

    func renderLogin(_ req: Request, username: String, error: String?, status: HTTPResponseStatus) async throws -> Response {
        // Login CSRF: a double-submit token, since there is no session yet.
        let token = Tokens.random(bytes: 24)
        let next = safeNext(req.query[String.self, at: "next"] ?? (try? req.content.get(String.self, at: "next")) ?? nil)
        let res = try await req.view.render("login", LoginView(csrf: token, next: next, username: username, error: error))
            .encodeResponse(for: req)
        res.status = status
        res.cookies[Self.loginCSRFCookie] = SessionAuthMiddleware.cookie(token, secure: req.application.settings.secureCookies, maxAge: 3600)
        return res
    }

    /// Only local paths under /admin are followed after login (no open redirect).
    func safeNext(_ next: String?) -> String {
        LocalPath.safe(next, under: "/admin") ?? "/admin"
    }

    func login(req: Request) async throws -> Response {
        struct Form: Content { var username: String?; var password: String?; var _csrf: String?; var next: String? }
        let form = try req.content.decode(Form.self)
        guard let cookie = req.cookies[Self.loginCSRFCookie]?.string, let sent = form._csrf, constantTimeEqual(cookie, sent) else {
            try await AuditLog.security(on: req.db, req.auditContext, action: "csrf.rejected", entityID: "/admin/login")
            return try await renderLogin(req, username: form.username ?? "", error: "表单已失效（CSRF 校验失败），请重新提交。", status: .forbidden)
        }
        do {
            let auth = AuthService(req: req)
            let user = try await auth.login(username: form.username ?? "", password: form.password ?? "")
            // A fresh session id at login; any session the browser had before is ended.
            if let old = req.cookies[SessionAuthMiddleware.cookieName]?.string {
                try await WebSessionModel.query(on: req.db).filter(\.$tokenHash == Tokens.hash(old)).delete()
            }
            let (token, _) = try await auth.startSession(for: user)
            let res = req.redirect(to: safeNext(form.next), redirectType: .normal)
            res.cookies[SessionAuthMiddleware.cookieName] = SessionAuthMiddleware.cookie(token, secure: req.application.settings.secureCookies)
            res.cookies[Self.loginCSRFCookie] = SessionAuthMiddleware.cookie("", secure: req.application.settings.secureCookies, maxAge: 0)
            return res
        } catch let e as DomainError {
            let status = FabuErrorMiddleware.describe(e, requestID: req.id).0
            return try await renderLogin(req, username: form.username ?? "", error: e.message, status: status)
        }
    }

    func logout(req: Request) async throws -> Response {
        if let s = req.principal?.session { try await s.delete(on: req.db) }
        try await AuditLog.security(on: req.db, req.auditContext, action: "logout", entityType: "user",
                                    entityID: req.principal?.user.id?.uuidString ?? "-")
        let res = req.redirect(to: "/admin/login", redirectType: .normal)
        res.cookies[SessionAuthMiddleware.cookieName] = SessionAuthMiddleware.cookie("", secure: req.application.settings.secureCookies, maxAge: 0)
        return res
    }

    // MARK: dashboard and tree

    struct DashboardView: Encodable {
        var pendingFilings: Int
        var overdueChanges: Int
        var agenciesWithGaps: Int
        var agencyCount: Int
        var overdue: [OverdueRow]
        var myAgency: UUID?
        var calendarWarning: String?
        /// Release activities waiting for the caller, and how many of them are overdue.
        var inbox: Int
        var inboxOverdue: Int
        /// Open incidents the caller sees, the one whose clock runs out soonest first (SPEC §5).
        var incidents: [IncidentCard]
    }

    struct OverdueRow: Encodable {
        var agencyID: UUID
        var agencyName: String
        var summary: String
        var effectiveDate: String
        var dueDate: String
        var dueSource: String
    }

    func dashboard(req: Request) async throws -> Response {
        let service = try await req.roster()
        let access = service.access
        let pending = try await service.filings(state: "submitted").filter { access.canReviewFiling(of: $0.agencyId.uuidString) }
        let overdue = try await service.overdueChanges()
        let trees = try await buildTrees(req, service)
        let rows = trees.flatMap(\.agencies)
        let releases = try await req.releaseService()
        let waiting = try await releases.summaries(try await releases.inbox())
        let view = DashboardView(
            pendingFilings: pending.count, overdueChanges: overdue.count,
            agenciesWithGaps: rows.filter { $0.gaps > 0 }.count, agencyCount: rows.count,
            overdue: overdue.prefix(20).map { OverdueRow(agencyID: $0.agency.id!, agencyName: $0.agency.name, summary: $0.change.summary,
                                                         effectiveDate: $0.change.effectiveDate, dueDate: $0.change.dueDate ?? "",
                                                         dueSource: $0.change.dueSource ?? "") },
            myAgency: req.principal?.user.agencyID,
            // SPEC §12: from 1 November, warn those who count deadlines that next year's notice is missing.
            calendarWarning: access.actor.role == .admin || access.actor.role == .newsOffice
                ? try await req.calendarService().status().warning : nil,
            inbox: waiting.count, inboxOverdue: waiting.filter { $0.nextDeadline?.overdue ?? false }.count,
            incidents: try await incidentCards(req, try await req.incidentService(), includeClosed: false))
        return try await req.renderPage("dashboard", title: "工作台", nav: "dashboard", body: view)
    }

    func buildTrees(_ req: Request, _ service: RosterService) async throws -> [JurisdictionTree] {
        let all = try await service.agencies()
        let today = service.today
        let ids = all.compactMap(\.id)
        let positions = ids.isEmpty ? [] : try await PositionModel.query(on: req.db).filter(\.$agencyID ~~ ids).all()
        let names = try await service.personNames(positions.map(\.personID))
        let unfiled = ids.isEmpty ? [] : try await RosterChangeModel.query(on: req.db).filter(\.$agencyID ~~ ids).filter(\.$filingID == nil).all()
        var out: [JurisdictionTree] = []
        for j in try await service.jurisdictions() {
            guard let profile = req.application.profiles[j.profileID] else { continue }
            let mine = all.filter { $0.jurisdictionID == j.id }
            let visible = Set(mine.compactMap(\.id))
            let policy = RosterPolicy(profile.roster)
            let deadline = FilingDeadline(profile.roster)
            var rows: [AgencyRow] = []
            func walk(_ parent: UUID?, depth: Int) {
                // Children of a node the caller cannot see are shown at the top of its scope.
                let children = mine.filter { a in
                    parent == nil ? (a.parentID == nil || !visible.contains(a.parentID!)) : a.parentID == parent
                }
                for a in children {
                    let held = positions.filter { $0.agencyID == a.id }
                    let terms = held.map(\.term)
                    let speakers = held.filter { $0.kind == PositionKind.spokesperson.rawValue && $0.term.isHeld(on: today) }
                        .compactMap { names[$0.personID] }
                    let overdue = unfiled.filter { $0.agencyID == a.id && deadline.isOverdue(changeEffective: CivilDate($0.effectiveDate)!, today: today) }
                    rows.append(AgencyRow(id: a.id!, name: a.name, kindLabel: a.kind.label, isKeyDepartment: a.isKeyDepartment,
                                          depth: depth, spokespersons: speakers.joined(separator: "、"),
                                          gaps: policy.gaps(in: terms, on: today).count, overdue: overdue.count))
                    walk(a.id, depth: depth + 1)
                }
            }
            walk(nil, depth: 0)
            out.append(JurisdictionTree(id: j.id!, name: j.name, newsOfficeName: profile.roster.newsOfficeName.value,
                                        profileID: j.profileID, agencies: rows))
        }
        return out
    }

    func agencies(req: Request) async throws -> Response {
        let service = try await req.roster()
        return try await req.renderPage("agencies", title: "单位与名册", nav: "agencies", body: try await buildTrees(req, service))
    }

    // MARK: roster page

    struct RosterView: Encodable {
        var roster: RosterDTO
        var jurisdictionName: String
        var profileName: String
        var newsOfficeName: String
        var filingRule: String
        var people: [PersonDTO]
        var posts: [Option]
        var canEdit: Bool
        var filings: [FilingDTO]
        var today: String
        var temporaryAllowed: Bool
    }

    struct Option: Encodable { var value: String; var label: String }

    func rosterPage(req: Request) async throws -> Response {
        try await renderRoster(req, notice: Notice.text(req.query[String.self, at: "done"]), error: nil)
    }

    func renderRoster(_ req: Request, notice: String?, error: DomainError?) async throws -> Response {
        let service = try await req.roster()
        guard let id = req.parameters.get("agencyID", as: UUID.self) else { throw DomainError.notFound("单位") }
        let roster = try await service.roster(agency: id)
        let agency = try await service.agency(id)
        let profile = try await service.profile(of: agency)
        let j = try await service.jurisdiction(agency.jurisdictionID)
        let filings = try await service.filings().filter { $0.agencyId == id }
        let posts = PositionKind.allCases.filter { k in
            k == .temporarySpokesperson ? profile.roster.temporarySpokesperson.value : profile.roster.limit(for: k) != nil
        }
        let source = profile.roster.changeFilingMonths.source
        let rule = profile.roster.changeFilingMonths.value.map { "人员变动须在\($0)个月内报备案，依据 \(source)" }
            ?? "人员变动须及时报备案，依据 \(source)"
        let view = RosterView(roster: roster, jurisdictionName: j.name, profileName: profile.name,
                              newsOfficeName: profile.roster.newsOfficeName.value, filingRule: rule,
                              people: try await service.people(agency: id).map(PersonDTO.init),
                              posts: posts.map { Option(value: $0.rawValue, label: $0.label) },
                              canEdit: service.access.canEditRoster(of: id.uuidString), filings: filings,
                              today: service.today.description, temporaryAllowed: profile.roster.temporarySpokesperson.value)
        return try await req.renderPage("roster", title: agency.name, nav: "agencies", body: view, notice: notice, error: error)
    }

    /// Runs a form command; on a domain refusal re-renders the roster page with the message.
    func rosterCommand(_ req: Request, done: String, _ run: (RosterService) async throws -> UUID) async throws -> Response {
        do {
            let agencyID = try await run(try await req.roster())
            return req.redirect(to: "/admin/agencies/\(agencyID)?done=\(done)", redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            if e.kind == .forbidden { try await AuditLog.security(on: req.db, req.auditContext, action: "permission.denied", entityID: req.url.path) }
            return try await renderRoster(req, notice: nil, error: e)
        }
    }

    func addPerson(req: Request) async throws -> Response {
        struct Form: Content { var name: String?; var title: String?; var officePhone: String?; var mobile: String?; var email: String? }
        let f = try req.content.decode(Form.self)
        return try await rosterCommand(req, done: "person") { s in
            let id = req.parameters.get("agencyID", as: UUID.self) ?? UUID()
            _ = try await s.createPerson(PersonInput(agencyId: id, name: f.name ?? "", title: f.title, officePhone: f.officePhone,
                                                     mobile: f.mobile, email: f.email))
            return id
        }
    }

    func appoint(req: Request) async throws -> Response {
        struct Form: Content { var personId: String?; var kind: String?; var title: String?; var startDate: String?; var endDate: String?; var scope: String? }
        let f = try req.content.decode(Form.self)
        return try await rosterCommand(req, done: "appointed") { s in
            let id = req.parameters.get("agencyID", as: UUID.self) ?? UUID()
            guard let person = f.personId.flatMap(UUID.init(uuidString:)) else {
                throw DomainError.field("personId", label: "人员", "请选择人员")
            }
            _ = try await s.appoint(agency: id, AppointInput(personId: person, kind: f.kind ?? "", title: f.title,
                                                             startDate: f.startDate ?? "", endDate: f.endDate, scope: f.scope))
            return id
        }
    }

    func endPosition(req: Request) async throws -> Response {
        struct Form: Content { var endDate: String? }
        let f = try req.content.decode(Form.self)
        let service = try await req.roster()
        guard let id = req.parameters.get("positionID", as: UUID.self), let pos = try await PositionModel.find(id, on: req.db),
              service.access.canSee(agency: pos.agencyID.uuidString) else { throw DomainError.notFound("任职记录") }
        req.parameters.set("agencyID", to: pos.agencyID.uuidString)
        return try await rosterCommand(req, done: "ended") { s in
            _ = try await s.endPosition(id, EndPositionInput(endDate: f.endDate ?? ""))
            return pos.agencyID
        }
    }

    func submitFiling(req: Request) async throws -> Response {
        struct Form: Content { var note: String? }
        let f = try req.content.decode(Form.self)
        return try await rosterCommand(req, done: "filed") { s in
            let id = req.parameters.get("agencyID", as: UUID.self) ?? UUID()
            _ = try await s.submitFiling(SubmitFilingInput(agencyId: id, note: f.note))
            return id
        }
    }

    // MARK: filing inbox

    struct FilingsView: Encodable {
        var pending: [FilingRow]
        var done: [FilingRow]
        var overdue: [OverdueRow]
    }

    struct FilingRow: Encodable {
        var filing: FilingDTO
        var canReview: Bool
    }

    func filings(req: Request) async throws -> Response {
        try await renderFilings(req, notice: Notice.text(req.query[String.self, at: "done"]), error: nil)
    }

    func renderFilings(_ req: Request, notice: String?, error: DomainError?) async throws -> Response {
        let service = try await req.roster()
        let all = try await service.filings()
        let rows = all.map { FilingRow(filing: $0, canReview: service.access.canReviewFiling(of: $0.agencyId.uuidString)) }
        let overdue = try await service.overdueChanges().map {
            OverdueRow(agencyID: $0.agency.id!, agencyName: $0.agency.name, summary: $0.change.summary,
                       effectiveDate: $0.change.effectiveDate, dueDate: $0.change.dueDate ?? "", dueSource: $0.change.dueSource ?? "")
        }
        let view = FilingsView(pending: rows.filter { $0.filing.state == FilingState.submitted.rawValue },
                               done: rows.filter { $0.filing.state != FilingState.submitted.rawValue }, overdue: overdue)
        return try await req.renderPage("filings", title: "备案收件箱", nav: "filings", body: view, notice: notice, error: error)
    }

    func filingCommand(_ req: Request, done: String, _ run: (RosterService, UUID?) async throws -> Void) async throws -> Response {
        do {
            try await run(try await req.roster(), req.parameters.get("filingID", as: UUID.self))
            return req.redirect(to: "/admin/filings?done=\(done)", redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            return try await renderFilings(req, notice: nil, error: e)
        }
    }

    func acceptFiling(req: Request) async throws -> Response {
        try await filingCommand(req, done: "accepted") { s, id in _ = try await s.acceptFiling(id) }
    }

    func returnFiling(req: Request) async throws -> Response {
        struct Form: Content { var reason: String? }
        let f = try req.content.decode(Form.self)
        return try await filingCommand(req, done: "returned") { s, id in
            _ = try await s.returnFiling(id, ReturnFilingInput(reason: f.reason ?? ""))
        }
    }

    // MARK: editions

    struct EditionsView: Encodable {
        var jurisdictions: [EditionGroup]
        var year: Int
    }

    struct EditionGroup: Encodable {
        var id: String
        var name: String
        var canPublish: Bool
        var current: [EditionEntry]
        var editions: [EditionSummaryDTO]
        /// Agencies with a required post empty: they will be missing from the list.
        var agenciesWithGaps: [String]
        var publishedThisYear: Int
        var pendingFilings: Int
    }

    func editions(req: Request) async throws -> Response {
        try await renderEditions(req, notice: Notice.text(req.query[String.self, at: "done"]), error: nil)
    }

    func renderEditions(_ req: Request, notice: String?, error: DomainError?) async throws -> Response {
        let service = try await req.roster()
        var groups: [EditionGroup] = []
        let jurisdictions = try await service.jurisdictions()
        let trees = jurisdictions.contains { service.access.canPublishEdition(for: $0.id!) } ? try await buildTrees(req, service) : []
        for j in jurisdictions {
            let editions = try await RosterEditionModel.query(on: req.db).filter(\.$jurisdictionID == j.id!)
                .sort(\.$year, .descending).sort(\.$number, .descending).all()
            let canPublish = service.access.canPublishEdition(for: j.id!)
            let posts = req.application.profiles[j.profileID]?.roster.publishedPosts.value ?? []
            let current = canPublish ? try await RosterService.currentEntries(db: req.db, jurisdiction: j.id!, posts: posts, on: service.today) : []
            var gaps: [String] = []
            var pending = 0
            if canPublish {
                let tree = trees.first { $0.id == j.id }
                gaps = tree?.agencies.filter { $0.gaps > 0 }.map(\.name) ?? []
                let ids = Set(tree?.agencies.map(\.id) ?? [])
                pending = try await service.filings(state: FilingState.submitted.rawValue).filter { ids.contains($0.agencyId) }.count
            }
            groups.append(EditionGroup(id: j.id!, name: j.name, canPublish: canPublish, current: current,
                                       editions: editions.map(RosterService.editionSummary), agenciesWithGaps: gaps,
                                       publishedThisYear: editions.filter { $0.year == service.today.year }.count, pendingFilings: pending))
        }
        return try await req.renderPage("editions", title: "发言人名单", nav: "editions",
                                        body: EditionsView(jurisdictions: groups, year: service.today.year), notice: notice, error: error)
    }

    func publishEdition(req: Request) async throws -> Response {
        struct Form: Content { var jurisdictionId: String?; var year: Int? }
        let f = try req.content.decode(Form.self)
        do {
            _ = try await req.roster().publishEdition(PublishEditionInput(jurisdictionId: f.jurisdictionId ?? "", year: f.year ?? 0))
            return req.redirect(to: "/admin/editions?done=published", redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            return try await renderEditions(req, notice: nil, error: e)
        }
    }

    func exportCSV(req: Request) async throws -> Response {
        try await req.roster().exportResponse(jurisdiction: req.parameters.require("jurisdictionID"))
    }

    // MARK: audit

    struct AuditView: Encodable {
        var events: [AuditRow]
        var olderThan: Int?
    }

    struct AuditRow: Encodable {
        var event: AuditEventDTO
        var actionLabel: String
    }

    /// Chinese names of audit actions for the viewer; unknown ones show their code.
    static let actionLabels: [String: String] = [
        "login.succeeded": "登录成功", "login.failed": "登录失败", "login.locked": "锁定期间尝试登录", "account.locked": "账号被锁定",
        "logout": "退出登录", "permission.denied": "越权访问被拒绝", "csrf.rejected": "表单校验失败（CSRF）",
        "agency.create": "新建单位", "person.create": "添加人员", "position.appoint": "登记任职", "position.end": "登记离任",
        "filing.submit": "提交备案", "filing.accepted": "确认备案", "filing.returned": "退回备案", "edition.publish": "发布名单",
        "roster.import": "导入名册", "user.create": "新建账号", "user.update": "修改账号", "user.set-password": "重设密码",
        "token.create": "创建接口令牌", "token.revoke": "吊销接口令牌", "seed.demo": "载入演示数据",
    ]

    func auditPage(req: Request) async throws -> Response {
        guard try await req.access().canReadAudit else { try await req.deny("audit") }
        var q = AuditEventModel.query(on: req.db).sort(\.$id, .descending).limit(100)
        if let before = req.query[Int.self, at: "before"] { q = q.filter(\.$id < before) }
        let events = try await q.all().map(AuditEventDTO.init)
        let older = events.count == 100 ? events.last?.seq : nil
        let rows = events.map { AuditRow(event: $0, actionLabel: Self.actionLabels[$0.action] ?? $0.action) }
        return try await req.renderPage("audit", title: "审计日志", nav: "audit", body: AuditView(events: rows, olderThan: older))
    }
}
