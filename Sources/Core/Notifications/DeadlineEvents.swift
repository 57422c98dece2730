import Crypto
import Foundation

/// What the deadline scheduler fires for a clock.
public enum DeadlineEventKind: String, Codable, Sendable, CaseIterable {
    /// 到期提醒 — some hours before due (profile `deadlines.reminderHours`).
    case reminder
    /// 已逾期 — the clock ran out with its step undone.
    case overdue
    /// 逾期督办 — the overdue event, sent up to the superior news office and the agency principal.
    case escalation
    /// 突发事件通报 — a new incident, told to the news offices at once (001 §13(二); 002 §五(三)).
    case incident
    /// 推送失败 — a webhook delivery given up on, told to the administrators.
    case delivery
    /// 采访申请 — a journalist's request from the portal, told to the news office (003 §20).
    case interview

    public var label: String {
        switch self {
        case .reminder: "到期提醒"
        case .overdue: "已逾期"
        case .escalation: "逾期督办"
        case .incident: "突发事件通报"
        case .delivery: "推送失败"
        case .interview: "采访申请"
        }
    }
}

/// When a clock's reminders fall due.
public enum ReminderSchedule {
    /// The reminder instants of a clock due at `due`, earliest first.
    public static func times(due: Date, hoursBefore: [Int]) -> [Date] {
        Set(hoursBefore).sorted(by: >).map { due.addingTimeInterval(-Double($0) * 3600) }
    }

    /// Where a clock's reminders stand at `now`: how many have fallen due (sent, or skipped
    /// because the clock opened after them — a clock opened with 3 hours left gets no 24-hour
    /// reminder) and when the next one is due. The scheduler fires one reminder when `at`
    /// passes, then moves on to the state at that moment, so reminders never pile up.
    public static func state(due: Date, hoursBefore: [Int], now: Date) -> (passed: Int, next: Date?) {
        let all = times(due: due, hoursBefore: hoursBefore)
        let passed = all.filter { $0 <= now }.count
        return (passed, passed < all.count ? all[passed] : nil)
    }
}

/// Who hears of a clock: those who must act, and those an overdue clock is escalated to.
public enum DeadlineAudience {
    /// An account as the audience rules see it.
    public struct Member: Sendable, Equatable {
        public var id: String
        public var role: Role
        public var agencyID: String?
        public var offices: Set<Official>

        public init(id: String, role: Role, agencyID: String?, offices: Set<Official>) {
            self.id = id
            self.role = role
            self.agencyID = agencyID
            self.offices = offices
        }
    }

    /// Those who must act: the news office that reviews, or the agency that must file or release.
    public static func responsible(_ kind: DeadlineKind, agency: String, tree: AgencyTree, members: [Member]) -> [String] {
        switch kind {
        case .review:
            let office = tree.supervisingNewsOffice(of: agency)
            return members.filter { $0.role == .newsOffice && $0.agencyID == office && office != nil }.map(\.id)
        case .firstRelease, .emergencyConference:
            // An emergency: the responsible agency and the news office on duty both act.
            let office = tree.supervisingNewsOffice(of: agency) ?? (tree.nodes[agency]?.kind == .newsOffice ? agency : nil)
            return members.filter { ($0.role == .editor && $0.agencyID == agency) || ($0.role == .newsOffice && $0.agencyID == office && office != nil) }
                .map(\.id)
        case .application, .materials, .release:
            let editors = members.filter { $0.role == .editor && $0.agencyID == agency }.map(\.id)
            if !editors.isEmpty { return editors }
            // An agency without editor accounts: its supervising news office prepares for it.
            let office = tree.supervisingNewsOffice(of: agency) ?? (tree.nodes[agency]?.kind == .newsOffice ? agency : nil)
            return members.filter { $0.role == .newsOffice && $0.agencyID == office && office != nil }.map(\.id)
        }
    }

    /// The news offices that hear of a new incident at once: the one supervising the agency and
    /// every one above it.
    public static func newsOffices(above agency: String, tree: AgencyTree, members: [Member]) -> [String] {
        var offices: Set<String> = []
        var next = tree.supervisingNewsOffice(of: agency)
        while let office = next, offices.insert(office).inserted { next = tree.supervisingNewsOffice(of: office) }
        if tree.nodes[agency]?.kind == .newsOffice { offices.insert(agency) }
        return members.filter { $0.role == .newsOffice && $0.agencyID.map(offices.contains) == true }.map(\.id).sorted()
    }

    /// Escalation of an overdue clock: the news office above the one responsible, and the
    /// agency's principal (001 §10(一): the principal is first responsible).
    public static func escalation(_ kind: DeadlineKind, agency: String, tree: AgencyTree, members: [Member]) -> [String] {
        var offices: Set<String> = []
        if let office = tree.supervisingNewsOffice(of: agency) {
            // A late review or emergency clock goes to the office above the one that acts; anything
            // else to the supervising office.
            if [.review, .firstRelease, .emergencyConference].contains(kind) { if let above = tree.supervisingNewsOffice(of: office) { offices.insert(above) } } else { offices.insert(office) }
        }
        let principals = members.filter { m in
            m.role == .approver && OfficeHolder(userID: m.id, agencyID: m.agencyID, offices: m.offices).holds(.agencyPrincipal, for: agency, tree: tree)
        }
        let officeStaff = members.filter { $0.role == .newsOffice && $0.agencyID.map(offices.contains) == true }
        return Array(Set((principals + officeStaff).map(\.id))).sorted()
    }
}

/// The signature of a webhook delivery: HMAC-SHA256 over `timestamp.body` with the webhook's
/// secret, sent as `X-Fabu-Signature: t=…,v1=…` so a receiver can reject replays.
public enum WebhookSignature {
    public static func sign(body: [UInt8], timestamp: Int, secret: String) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + body, using: key)
        return "t=\(timestamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}

/// Retries of a failing webhook: 30 s, 1, 2, 4 … minutes, at most 6 hours apart, 14 attempts
/// (about a day and a half, so a gateway down overnight still gets the night's events).
public enum WebhookBackoff {
    public static let maxAttempts = 14

    public static func delay(afterAttempt n: Int) -> TimeInterval {
        min(30 * pow(2, Double(max(n, 1) - 1)), 6 * 3600)
    }
}
