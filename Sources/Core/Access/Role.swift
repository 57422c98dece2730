/// What an account may do (SPEC Actors). Deny by default: anything not granted here is refused.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// 系统管理员
    case admin
    /// 新闻办工作人员 — its level and everything below.
    case newsOffice
    /// 单位编辑 — spokesperson, assistant or liaison of one agency.
    case editor
    /// 审批领导 — a leader who approves; reads its level.
    case approver
    /// 审计员 — read-only; sees the audit trail.
    case auditor

    public var label: String {
        switch self {
        case .admin: "系统管理员"
        case .newsOffice: "新闻办工作人员"
        case .editor: "单位编辑"
        case .approver: "审批领导"
        case .auditor: "审计员"
        }
    }

    /// Roles bound to an agency.
    public var needsAgency: Bool {
        switch self {
        case .newsOffice, .editor, .approver: true
        case .admin, .auditor: false
        }
    }
}

/// Who is asking, as the access rules see it.
public struct Actor: Sendable, Equatable {
    public let userID: String
    public let role: Role
    public let agencyID: String?

    public init(userID: String, role: Role, agencyID: String?) {
        self.userID = userID
        self.role = role
        self.agencyID = agencyID
    }
}

/// The access rules: which agencies an actor sees and what it may change there.
public struct AccessPolicy: Sendable {
    public let actor: Actor
    public let tree: AgencyTree

    public init(actor: Actor, tree: AgencyTree) {
        self.actor = actor
        self.tree = tree
    }

    /// Agencies whose records the actor may read; `nil` means all.
    public var visibleAgencies: Set<String>? {
        switch actor.role {
        case .admin, .auditor:
            return nil
        case .newsOffice:
            guard let a = actor.agencyID else { return [] }
            return tree.supervisedBy(newsOffice: a)
        case .approver:
            // A leader sees its own level: the agency's parent level, or its own subtree at the top.
            guard let a = actor.agencyID, let node = tree.nodes[a] else { return [] }
            if let parent = node.parentID { return tree.subtree(of: parent) }
            return Set(tree.nodes.values.filter { $0.jurisdictionID == node.jurisdictionID }.map(\.id))
        case .editor:
            return actor.agencyID.map { [$0] } ?? []
        }
    }

    public func canSee(agency id: String) -> Bool {
        visibleAgencies.map { $0.contains(id) } ?? (tree.nodes[id] != nil)
    }

    public func canSee(jurisdiction id: String) -> Bool {
        guard let visible = visibleAgencies else { return true }
        return visible.contains { tree.nodes[$0]?.jurisdictionID == id }
    }

    /// Appoint, end and file roster changes.
    public func canEditRoster(of agency: String) -> Bool {
        switch actor.role {
        case .admin: return tree.nodes[agency] != nil
        case .newsOffice, .editor: return canSee(agency: agency)
        case .approver, .auditor: return false
        }
    }

    /// Accept or return a filing: the supervising news office (or any above it), never one's own.
    public func canReviewFiling(of agency: String) -> Bool {
        switch actor.role {
        case .admin: return true
        case .newsOffice: return agency != actor.agencyID && canSee(agency: agency)
        default: return false
        }
    }

    /// Publish the yearly list: the top news office of the jurisdiction (001 §8(三); 003 §9).
    public func canPublishEdition(for jurisdiction: String) -> Bool {
        switch actor.role {
        case .admin: return true
        case .newsOffice:
            guard let a = actor.agencyID, let node = tree.nodes[a] else { return false }
            return node.parentID == nil && node.jurisdictionID == jurisdiction && node.kind == .newsOffice
        default: return false
        }
    }

    /// Load a national holiday notice: it changes every jurisdiction's deadlines, so only the
    /// system administrator may.
    public var canLoadHolidayNotice: Bool { actor.role == .admin }

    /// Add or remove a local calendar adjustment: the jurisdiction's top news office, which
    /// counts its deadlines (SPEC §12).
    public func canAdjustCalendar(for jurisdiction: String) -> Bool { canPublishEdition(for: jurisdiction) }

    /// Create, edit and carry a release activity of `agency` through its steps: the agency's own
    /// editors, and the news office that supervises it (which also holds its own events).
    public func canPrepareActivity(of agency: String) -> Bool {
        switch actor.role {
        case .admin: return tree.nodes[agency] != nil
        case .newsOffice, .editor: return canSee(agency: agency)
        case .approver, .auditor: return false
        }
    }

    /// Review a press-conference application: a news office supervising the agency, never its
    /// own application (that goes to the news office above it). The administrator does not
    /// decide content.
    public func canReviewApplication(of agency: String) -> Bool {
        actor.role == .newsOffice && agency != actor.agencyID && canSee(agency: agency)
    }

    public var canManageUsers: Bool { actor.role == .admin }
    /// Journalists' interview requests (SPEC R9.1): a news office answers its own; the
    /// administrator sees all of them.
    public var canSeeInterviewRequests: Bool { actor.role == .admin || actor.role == .newsOffice }
    public var canManageAgencies: Bool { actor.role == .admin }
    public var canReadAudit: Bool { actor.role == .admin || actor.role == .auditor }
}
