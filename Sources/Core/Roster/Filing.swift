/// What a roster change did.
public enum RosterChangeKind: String, Codable, Sendable, CaseIterable {
    case appointed
    case ended

    public var label: String {
        switch self {
        case .appointed: "任职"
        case .ended: "离任"
        }
    }
}

/// The state of a filing (备案) with the superior news office (SPEC R1.3).
public enum FilingState: String, Codable, Sendable, CaseIterable {
    case submitted
    case accepted
    case returned

    public var label: String {
        switch self {
        case .submitted: "待审核"
        case .accepted: "已备案"
        case .returned: "已退回"
        }
    }

    /// The news office accepts a submitted filing.
    public func accept() throws(DomainError) -> FilingState {
        guard self == .submitted else { throw Self.notPending(self) }
        return .accepted
    }

    /// The news office returns a submitted filing; the reason is required and shown to the agency.
    public func returned(reason: String?) throws(DomainError) -> FilingState {
        guard self == .submitted else { throw Self.notPending(self) }
        var v = Validator()
        _ = v.text(reason, field: "reason", label: "退回理由", max: 500)
        try v.check()
        return .returned
    }

    static func notPending(_ state: FilingState) -> DomainError {
        DomainError(.conflict, code: "filing_not_pending", message: "该备案当前状态为“\(state.label)”，不能再审核。")
    }
}

/// When a roster change must be filed, and whether it is overdue (003 §9: within 1 month).
public struct FilingDeadline: Sendable {
    public let months: Int?
    public let source: String

    public init(_ rules: RosterRules) {
        months = rules.changeFilingMonths.value
        source = rules.changeFilingMonths.source
    }

    /// The last day on which a change effective on `effective` may still be filed.
    public func due(forChangeEffective effective: CivilDate) -> CivilDate? {
        months.map { effective.adding(months: $0) }
    }

    /// An unfiled change is overdue once `today` is past its due day.
    public func isOverdue(changeEffective effective: CivilDate, today: CivilDate) -> Bool {
        guard let due = due(forChangeEffective: effective) else { return false }
        return today > due
    }
}
