import Core
import Crypto
import Fluent
import Vapor

/// 记者采访申请 from the portal (migration 007).
final class InterviewRequestModel: Model, @unchecked Sendable {
    static let schema = "interview_requests"
    @ID(key: .id) var id: UUID?
    @Field(key: "jurisdiction_id") var jurisdictionID: String
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @Field(key: "office_id") var officeID: UUID
    @Field(key: "name") var name: String
    @Field(key: "outlet") var outlet: String
    @Field(key: "press_card") var pressCard: String
    @Field(key: "contact") var contact: String
    @Field(key: "subject") var subject: String
    @Field(key: "wished_from") var wishedFrom: String
    @Field(key: "wished_to") var wishedTo: String
    /// new, handled
    @Field(key: "state") var state: String
    @OptionalField(key: "handled_by") var handledBy: UUID?
    @OptionalField(key: "handled_at") var handledAt: Date?
    @OptionalField(key: "handled_note") var handledNote: String?
    @Field(key: "address_hash") var addressHash: String
    @Field(key: "challenge_nonce") var challengeNonce: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// The portal side (anyone may ask) and the news-office side (its inbox) of interview requests.
struct InterviewService {
    let db: Database
    let now: Date

    /// The key signing challenge questions: made once, kept in the database so that every
    /// instance behind a load balancer accepts the others' questions.
    func secret() async throws -> [UInt8] {
        let fresh = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        guard let bytes = Self.hexBytes(try await AppStateModel.valueOrCreate("portal-challenge-key", fresh, on: db)) else {
            throw Abort(.internalServerError, reason: "app_state portal-challenge-key is not 32 bytes of hex")
        }
        return bytes
    }

    static func hexBytes(_ hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count == 64 else { return nil }
        return stride(from: 0, to: 64, by: 2).compactMap { UInt8(String(decoding: chars[$0..<$0 + 2], as: UTF8.self), radix: 16) }
    }

    func challenge() async throws -> (question: String, token: String, nonce: String) {
        var rng = SystemRandomNumberGenerator()
        let (c, token) = PortalChallenge.make(now: now, secret: try await secret(), using: &rng)
        return (c.question, token, c.nonce)
    }

    /// The agencies a journalist may ask for: the jurisdiction's departments and offices.
    func agencies(of jurisdiction: String) async throws -> [AgencyModel] {
        try await AgencyModel.query(on: db).filter(\.$jurisdictionID == jurisdiction).sort(\.$sortOrder).all()
    }

    struct Submission {
        var form: InterviewRequestForm
        var agency: String?
        var answer: String?
        var token: String?
        /// The nonce of the question this browser was shown (a SameSite cookie): a question
        /// fetched elsewhere and posted from another site is refused.
        var shownNonce: String?
        var address: String
    }

    /// One submission at a time in this process (the count of a rate limit and the insert go
    /// together); instances sharing a PostgreSQL database also take an advisory lock.
    static let gate = SerialGate()

    /// Checks the challenge, the form and the limits, then files the request and tells the news
    /// office — in one transaction.
    func submit(_ j: JurisdictionModel, _ s: Submission) async throws -> InterviewRequestModel {
        let secret = try await secret()
        // Every problem at once: the form's fields and the challenge.
        var fields: [String: String] = [:]
        var facts: InterviewRequestFacts?
        do { facts = try InterviewRequestFacts.check(s.form, today: CivilDate(now)) } catch let e as DomainError { fields = e.fields }
        var challenge: PortalChallenge?
        do { challenge = try PortalChallenge.verify(token: s.token, answer: s.answer, now: now, secret: secret) } catch let e as DomainError {
            fields.merge(e.fields) { a, _ in a }
        }
        let agencies = try await agencies(of: j.id!)
        let picked = s.agency.flatMap { $0.isEmpty ? nil : $0 }
        let agency = picked.flatMap(UUID.init(uuidString:)).flatMap { id in agencies.first { $0.id == id } }
        if picked != nil, agency == nil { fields["agency"] = "采访对象单位无效：请从列表中选择" }
        if let challenge, challenge.nonce != s.shownNonce {
            fields["answer"] = "验证题已失效：请在本页重新作答（需允许本站的 Cookie）"
        }
        guard fields.isEmpty, let facts, let challenge else { throw Self.refused(fields) }
        // The news office that answers: the one over the agency asked for, or the jurisdiction's own.
        let tree = AgencyTree(agencies.map(\.node))
        let office = agency.flatMap { a in a.kind == .newsOffice ? a.id!.uuidString : tree.supervisingNewsOffice(of: a.id!.uuidString) }
            ?? agencies.first { $0.kind == .newsOffice && tree.supervisingNewsOffice(of: $0.id!.uuidString) == nil }?.id!.uuidString
        guard let officeID = office.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("本地区新闻办") }
        let staff = try await UserModel.query(on: db).filter(\.$active == true).filter(\.$agencyID == officeID).all()
            .filter { $0.roleValue == .newsOffice }.map { $0.id!.uuidString }

        let r = InterviewRequestModel()
        r.jurisdictionID = j.id!
        r.agencyID = agency?.id
        r.officeID = officeID
        r.name = facts.name
        r.outlet = facts.outlet
        r.pressCard = facts.pressCard
        r.contact = facts.contact
        r.subject = facts.subject
        r.wishedFrom = facts.wishedFrom.description
        r.wishedTo = facts.wishedTo.description
        r.state = "new"
        r.addressHash = Self.mac(InterviewLimits.key(forAddress: s.address), secret: secret)
        r.challengeNonce = challenge.nonce
        r.createdAt = now
        let used = Self.refused(["answer": "验证题已用过：请回答新的题目"])
        let (db, now) = (db, now)
        try await Self.gate.run { try await db.transaction { tx in
            // Counted and written under one lock: simultaneous posts cannot all slip under the limit.
            try await advisoryLock("interview-requests", on: tx)
            try InterviewLimits.check(
                fromAddressInLastHour: try await InterviewRequestModel.query(on: tx).filter(\.$addressHash == r.addressHash)
                    .filter(\.$createdAt > now.addingTimeInterval(-3600)).count(),
                forJurisdictionInLastDay: try await InterviewRequestModel.query(on: tx).filter(\.$jurisdictionID == j.id!)
                    .filter(\.$createdAt > now.addingTimeInterval(-86_400)).count())
            if try await InterviewRequestModel.query(on: tx).filter(\.$challengeNonce == challenge.nonce).first() != nil { throw used }
            do { try await r.create(on: tx) } catch let e as DatabaseError where e.isConstraintFailure { throw used }
            let event = NotificationEvent(key: "interview:\(r.id!)", kind: .interview, title: "记者采访申请：\(r.outlet) \(r.name)",
                                          body: "采访主题：\(r.subject)；希望时间：\(Self.span(r))\(agency.map { "；采访对象：\($0.name)" } ?? "")。",
                                          link: "/admin/interviews", deadline: nil)
            _ = try await Notifier(db: tx, now: now).send(event, to: staff, webhooks: false)
            // The audit trail is append-only: it keeps the request's id, not the journalist's details.
            try await AuditLog.append(on: tx, .system("portal", now: now), action: "interview.request", entityType: "interview_request",
                                      entityID: r.id!.uuidString, before: Optional<String>.none,
                                      after: ["jurisdiction": j.id!, "office": officeID.uuidString])
        } }
        return r
    }

    /// The form sent back with what to change, field by field.
    static func refused(_ fields: [String: String]) -> DomainError {
        DomainError(.invalid, code: "validation_failed", message: "请按提示修改后重新提交。", fields: fields)
    }

    static func mac(_ text: String, secret: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: Array(("address:" + text).utf8), using: SymmetricKey(data: secret))
            .prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    static func span(_ r: InterviewRequestModel) -> String { r.wishedFrom == r.wishedTo ? r.wishedFrom : "\(r.wishedFrom) 至 \(r.wishedTo)" }

    // MARK: the news office's side

    /// The requests a user may see: a news office its own, an administrator all.
    func scoped(to user: UserModel) -> QueryBuilder<InterviewRequestModel>? {
        let q = InterviewRequestModel.query(on: db)
        switch user.roleValue {
        case .admin: return q
        case .newsOffice: return user.agencyID.map { q.filter(\.$officeID == $0) }
        default: return nil
        }
    }

    /// Every open request, oldest wish first, and the latest 100 handled ones.
    func visible(to user: UserModel) async throws -> [InterviewRequestModel] {
        guard let open = scoped(to: user), let done = scoped(to: user) else { return [] }
        return try await open.filter(\.$state == "new").sort(\.$wishedFrom).sort(\.$createdAt).all()
            + done.filter(\.$state == "handled").sort(\.$handledAt, .descending).limit(100).all()
    }

    /// Marks a request answered, with what was agreed (or why not).
    func markHandled(_ id: UUID?, note: String?, by user: UserModel, audit: AuditContext) async throws {
        guard let id, let r = try await scoped(to: user)?.filter(\.$id == id).first() else { throw DomainError.notFound("采访申请") }
        guard r.state == "new" else { throw DomainError(.conflict, code: "already_handled", message: "该采访申请已办结。") }
        var v = Validator()
        let text = v.text(note, field: "note", label: "办理情况", max: 500)
        try v.check()
        r.state = "handled"
        r.handledBy = user.id
        r.handledAt = now
        r.handledNote = text
        try await db.transaction { tx in
            try await r.update(on: tx)
            try await AuditLog.append(on: tx, audit, action: "interview.handled", entityType: "interview_request", entityID: id.uuidString,
                                      before: ["state": "new"], after: ["state": "handled", "note": text ?? ""])
        }
    }
}

/// Runs bodies one at a time, in the order they arrive (an async mutex for one process).
actor SerialGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if busy { await withCheckedContinuation { waiting.append($0) } } else { busy = true }
        // Hand the turn to the next one in line, or free the gate.
        defer { if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() } }
        return try await body()
    }
}
