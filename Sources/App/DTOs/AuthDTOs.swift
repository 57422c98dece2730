import Core
import Vapor

struct LoginInput: Content {
    var username: String
    var password: String
}

struct LoginResultDTO: Content {
    var token: String
    var expiresAt: Date
    var user: UserDTO
}

struct UserDTO: Content {
    var id: UUID
    var username: String
    var displayName: String
    var role: String
    var roleLabel: String
    var agencyId: UUID?
    var personId: UUID?
    var active: Bool
    var lockedUntil: Date?
    /// The offices (职务) the account approves in (`Official` raw values).
    var offices: [String]

    init(_ m: UserModel) {
        id = m.id!
        username = m.username
        displayName = m.displayName
        role = m.role
        roleLabel = m.roleValue.label
        agencyId = m.agencyID
        personId = m.personID
        active = m.active
        lockedUntil = m.lockedUntil
        offices = m.offices.map(\.rawValue)
    }
}

struct CreateUserInput: Content {
    var username: String
    var displayName: String
    var password: String
    var role: String
    var agencyId: UUID?
    var personId: UUID?
    var offices: [String]?
}

struct UpdateUserInput: Content {
    var active: Bool?
    var password: String?
    var offices: [String]?
}

struct CreateTokenInput: Content {
    var name: String
    var expiresInDays: Int?
}

struct APITokenDTO: Content {
    var id: UUID
    var name: String
    var kind: String
    var createdAt: Date
    var expiresAt: Date?
    var revokedAt: Date?
    var lastUsedAt: Date?
    /// Shown once, when the token is created.
    var token: String?

    init(_ m: APITokenModel, token: String? = nil) {
        id = m.id!
        name = m.name
        kind = m.kind
        createdAt = m.createdAt
        expiresAt = m.expiresAt
        revokedAt = m.revokedAt
        lastUsedAt = m.lastUsedAt
        self.token = token
    }
}

struct AuditEventDTO: Content {
    var seq: Int
    var at: Date
    var actor: String
    var action: String
    var entityType: String
    var entityId: String
    var before: String?
    var after: String?
    var requestId: String
    var ip: String
    var hash: String

    init(_ m: AuditEventModel) {
        let e = m.entry
        seq = e.seq
        at = e.at
        actor = e.actor
        action = e.action
        entityType = e.entityType
        entityId = e.entityID
        before = e.before
        after = e.after
        requestId = e.requestID
        ip = e.ip
        hash = e.hash
    }
}

struct HealthDTO: Content {
    var status: String
    var database: String
}
