import Core
import Fluent
import Foundation

/// 辖区 — a jurisdiction whose rules come from one policy profile. Its id is the profile-style code.
final class JurisdictionModel: Model, @unchecked Sendable {
    static let schema = "jurisdictions"
    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String
    @Field(key: "profile_id") var profileID: String
    @Field(key: "sort_order") var sortOrder: Int

    init() {}
    init(id: String, name: String, profileID: String, sortOrder: Int) {
        self.id = id
        self.name = name
        self.profileID = profileID
        self.sortOrder = sortOrder
    }
}

/// 单位 — one node of the agency tree.
final class AgencyModel: Model, @unchecked Sendable {
    static let schema = "agencies"
    @ID(key: .id) var id: UUID?
    @Field(key: "jurisdiction_id") var jurisdictionID: String
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kindRaw: String
    @Field(key: "is_key_department") var isKeyDepartment: Bool
    @Field(key: "phone") var phone: String
    @Field(key: "sort_order") var sortOrder: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(id: UUID? = nil, jurisdictionID: String, parentID: UUID?, name: String, kind: AgencyKind,
         isKeyDepartment: Bool = false, phone: String = "", sortOrder: Int = 0) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.parentID = parentID
        self.name = name
        self.kindRaw = kind.rawValue
        self.isKeyDepartment = isKeyDepartment
        self.phone = phone
        self.sortOrder = sortOrder
    }

    var node: AgencyNode {
        AgencyNode(id: id!.uuidString, parentID: parentID?.uuidString, jurisdictionID: jurisdictionID, kind: kind)
    }

    var kind: AgencyKind {
        get { AgencyKind(rawValue: kindRaw) ?? .department }
        set { kindRaw = newValue.rawValue }
    }
}

/// 人员 — a person who may hold posts; belongs to an agency.
final class PersonModel: Model, @unchecked Sendable {
    static let schema = "people"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "name") var name: String
    @Field(key: "title") var title: String
    @Field(key: "office_phone") var officePhone: String
    @Field(key: "mobile") var mobile: String
    @Field(key: "email") var email: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(id: UUID? = nil, agencyID: UUID, name: String, title: String = "", officePhone: String = "", mobile: String = "", email: String = "") {
        self.id = id
        self.agencyID = agencyID
        self.name = name
        self.title = title
        self.officePhone = officePhone
        self.mobile = mobile
        self.email = email
    }
}

/// 任职 — a person holding a post in an agency, with effective dates (stored as `yyyy-MM-dd`).
final class PositionModel: Model, @unchecked Sendable {
    static let schema = "positions"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @Field(key: "start_date") var startDate: String
    @OptionalField(key: "end_date") var endDate: String?
    @OptionalField(key: "scope") var scope: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(id: UUID? = nil, term: PositionTerm) {
        self.id = id
        agencyID = UUID(uuidString: term.agencyID)!
        personID = UUID(uuidString: term.personID)!
        kind = term.kind.rawValue
        title = term.title
        startDate = term.start.description
        endDate = term.end?.description
        scope = term.scope
    }

    var term: PositionTerm {
        PositionTerm(id: id?.uuidString ?? "", agencyID: agencyID.uuidString, personID: personID.uuidString,
                     kind: PositionKind(rawValue: kind) ?? .spokesperson, title: title,
                     start: CivilDate(startDate)!, end: endDate.flatMap(CivilDate.init), scope: scope)
    }
}

/// 人员变动 — one appointment or departure, waiting for or included in a filing.
final class RosterChangeModel: Model, @unchecked Sendable {
    static let schema = "roster_changes"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "position_id") var positionID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "effective_date") var effectiveDate: String
    /// A short description frozen at the time of the change (name, post).
    @Field(key: "summary") var summary: String
    @OptionalField(key: "filing_id") var filingID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(agencyID: UUID, positionID: UUID, kind: RosterChangeKind, effectiveDate: CivilDate, summary: String) {
        self.agencyID = agencyID
        self.positionID = positionID
        self.kind = kind.rawValue
        self.effectiveDate = effectiveDate.description
        self.summary = summary
    }
}

/// 备案 — roster changes submitted to the superior news office.
final class FilingModel: Model, @unchecked Sendable {
    static let schema = "filings"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "state") var state: String
    @Field(key: "note") var note: String
    /// The changes as submitted (JSON), kept even after a return frees them for refiling.
    @Field(key: "changes") var changes: String
    @Field(key: "submitted_at") var submittedAt: Date
    @Field(key: "submitted_by") var submittedBy: String
    @Field(key: "late") var late: Bool
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    @OptionalField(key: "reviewed_by") var reviewedBy: String?
    @OptionalField(key: "return_reason") var returnReason: String?

    init() {}
}

/// 发言人名单 — a published yearly list. Rows are inserted once and never updated.
final class RosterEditionModel: Model, @unchecked Sendable {
    static let schema = "roster_editions"
    @ID(key: .id) var id: UUID?
    @Field(key: "jurisdiction_id") var jurisdictionID: String
    @Field(key: "year") var year: Int
    @Field(key: "number") var number: Int
    @Field(key: "title") var title: String
    @Field(key: "published_on") var publishedOn: String
    @Field(key: "published_at") var publishedAt: Date
    @Field(key: "published_by") var publishedBy: String
    /// The entries as published (JSON array of `EditionEntry`).
    @Field(key: "entries") var entries: String

    init() {}
}

/// 账号
final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: String
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @OptionalField(key: "person_id") var personID: UUID?
    @Field(key: "active") var active: Bool
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    /// The offices (职务) this account approves in, comma separated `Official` raw values
    /// (migration 003). Granted by the administrator.
    @OptionalField(key: "offices") var officesRaw: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(username: String, displayName: String, passwordHash: String, role: Role, agencyID: UUID?, personID: UUID? = nil) {
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role.rawValue
        self.agencyID = agencyID
        self.personID = personID
        active = true
        failedLogins = 0
    }

    var roleValue: Role { Role(rawValue: role) ?? .auditor }
    var actor: Actor { Actor(userID: id!.uuidString, role: roleValue, agencyID: agencyID?.uuidString) }

    var offices: [Official] {
        get { (officesRaw ?? "").split(separator: ",").compactMap { Official(rawValue: String($0)) } }
        set { officesRaw = newValue.isEmpty ? nil : newValue.map(\.rawValue).joined(separator: ",") }
    }

    /// The account as the notification audience rules see it.
    var audienceMember: DeadlineAudience.Member {
        DeadlineAudience.Member(id: id!.uuidString, role: roleValue, agencyID: agencyID?.uuidString, offices: Set(offices))
    }

    var officeHolder: OfficeHolder {
        OfficeHolder(userID: id!.uuidString, agencyID: agencyID?.uuidString, offices: Set(offices))
    }
}

/// A web session; the cookie holds a random token, the table only its SHA-256.
final class WebSessionModel: Model, @unchecked Sendable {
    static let schema = "web_sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date

    init() {}
}

/// A bearer token: short-lived from `POST /auth/login`, or a long-lived integration token.
final class APITokenModel: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?

    init() {}
}

/// One row of the append-only, hash-chained audit log. The primary key is the chain position.
final class AuditEventModel: Model, @unchecked Sendable {
    static let schema = "audit_events"
    @ID(custom: "seq", generatedBy: .user) var id: Int?
    @Field(key: "at_ms") var atMillis: Int64
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    @Field(key: "entity_id") var entityID: String
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    @Field(key: "request_id") var requestID: String
    @Field(key: "ip") var ip: String
    @Field(key: "prev_hash") var prevHash: String
    @Field(key: "hash") var hash: String

    init() {}

    convenience init(_ e: AuditEntry) {
        self.init()
        id = e.seq
        atMillis = Int64((e.at.timeIntervalSince1970 * 1000).rounded())
        actor = e.actor
        action = e.action
        entityType = e.entityType
        entityID = e.entityID
        before = e.before
        after = e.after
        requestID = e.requestID
        ip = e.ip
        prevHash = e.prevHash
        hash = e.hash
    }

    var entry: AuditEntry {
        AuditEntry(seq: id ?? 0, at: Date(timeIntervalSince1970: Double(atMillis) / 1000), actor: actor, action: action,
                   entityType: entityType, entityID: entityID, before: before, after: after,
                   requestID: requestID, ip: ip, prevHash: prevHash, hash: hash)
    }
}
