import Foundation

/// A clock the workflow keeps: what is due, by when, and the rule it comes from. Stored as a
/// database row so reminders, quotas and the scheduler of later work can read it.
public enum DeadlineKind: String, Codable, Sendable, CaseIterable {
    /// 申报截止 — the last day the application may leave the agency.
    case application
    /// 新闻办审核时限
    case review
    /// 会前材料报备截止
    case materials
    /// 常规信息发布时限 (003 §19)
    case release
    /// 突发事件首次权威信息发布 — hours, not days (SPEC §5).
    case firstRelease
    /// 突发事件新闻发布会
    case emergencyConference

    public var label: String {
        switch self {
        case .application: "选题申报截止"
        case .review: "新闻办审核时限"
        case .materials: "会前材料报备截止"
        case .release: "审定后发布时限"
        case .firstRelease: "首次权威信息发布时限"
        case .emergencyConference: "突发事件新闻发布会时限"
        }
    }
}

/// One computed deadline: a whole day, due at its end in Shanghai time.
public struct DayDeadline: Sendable, Equatable {
    public var kind: DeadlineKind
    public var day: CivilDate
    public var count: WorkingDayCount
    public var source: String
    public var quote: String?
    /// When the clock runs out: the end of `day` (00:00 of the next day, Shanghai), or later
    /// when the days after `day` are not working days and count the same.
    public var dueAt: Date

    public init(kind: DeadlineKind, day: CivilDate, count: WorkingDayCount, source: String, quote: String?, dueAt: Date? = nil) {
        self.kind = kind
        self.day = day
        self.count = count
        self.source = source
        self.quote = quote
        self.dueAt = dueAt ?? day.adding(days: 1).startOfDay
    }
}

extension CivilDate {
    /// 00:00 of this day in Shanghai.
    public var startOfDay: Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .shanghai
        return cal.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
    }
}

/// The press-conference rules of SPEC §4, applied to one application. Numbers and citations come
/// from the profile; a `nil` number means the jurisdiction sets none and nothing is checked.
public struct ConferenceChecks: Sendable {
    public let rules: ConferenceRules
    public let calendar: WorkingCalendar

    public init(rules: ConferenceRules, calendar: WorkingCalendar) {
        self.rules = rules
        self.calendar = calendar
    }

    /// 申报截止: `lead` working days before the event (001 §15(一) ≥10; 003 §31(一) ≥7). The
    /// day shown is the last working day; a weekend after it counts the same (nothing is
    /// counted until the next working day), so the clock runs until that working day begins.
    public func applicationDeadline(event: CivilDate) -> DayDeadline? {
        guard let lead = rules.applicationLeadWorkingDays.value else { return nil }
        let count = calendar.explainAddingWorkingDays(event, -lead)
        return DayDeadline(kind: .application, day: count.date, count: count,
                           source: rules.applicationLeadWorkingDays.source, quote: rules.applicationLeadWorkingDays.quote,
                           dueAt: calendar.addWorkingDays(count.date, 1).startOfDay)
    }

    /// Refuses an application with fewer than `lead` working days between today and the event
    /// (the day of sending not counted, the event day counted), naming the earliest event date
    /// allowed from `today` and how it was counted — unless it is urgent with a written reason.
    public func checkLeadTime(event: CivilDate, today: CivilDate, urgentReason: String?) throws(DomainError) {
        guard let lead = rules.applicationLeadWorkingDays.value, let deadline = applicationDeadline(event: event),
              calendar.workingDaysBetween(today, event) < lead else { return }
        if let reason = urgentReason, !reason.isEmpty { return }
        let earliest = calendar.explainAddingWorkingDays(today, lead)
        let cite = Self.cite(rules.applicationLeadWorkingDays)
        var how = ([earliest.summary] + earliest.explanation).joined(separator: "；")
        if how.hasSuffix("。") { how.removeLast() }
        throw DomainError(
            .invalid, code: "application_late",
            message: "申报过晚：发布会须至少提前\(lead)个工作日申报（\(cite)）。\(event)的发布会最迟应于\(deadline.day)（\(deadline.day.weekdayName)）申报；今天申报，最早可安排在\(earliest.date)（\(earliest.date.weekdayName)）。计算方法：\(how)。确属紧急的，可作为紧急申报提交并写明紧急理由（已提交的申报请退回申报单位改为紧急申报）。",
            fields: ["startsAt": "最早可安排在\(earliest.date)", "urgentReason": "紧急申报须写明理由"])
    }

    /// 新闻办审核时限: `n` working days from the day the application arrives (001 §15(二) 10; 003 §31(一) 2).
    public func reviewDeadline(arrived: CivilDate) -> DayDeadline? {
        guard let n = rules.reviewWorkingDays.value else { return nil }
        let count = calendar.explainAddingWorkingDays(arrived, n)
        return DayDeadline(kind: .review, day: count.date, count: count, source: rules.reviewWorkingDays.source, quote: rules.reviewWorkingDays.quote)
    }

    /// 会前材料报备截止: `n` working days before the event (003 §34 "发布会前3个工作日").
    public func materialsDeadline(event: CivilDate) -> DayDeadline? {
        guard let n = rules.materialsLeadWorkingDays.value else { return nil }
        let count = calendar.explainAddingWorkingDays(event, -n)
        return DayDeadline(kind: .materials, day: count.date, count: count, source: rules.materialsLeadWorkingDays.source, quote: rules.materialsLeadWorkingDays.quote)
    }

    /// Documents the application must carry when it is submitted (001 §15(一); 003 §31(一)).
    public func missingApplicationDocuments(filed: Set<ConferenceDocument>) -> [ConferenceDocument] {
        rules.applicationDocuments.value.filter { !filed.contains($0) }
    }

    /// Materials that must be filed before the conference can be scheduled (003 §34).
    public func missingMaterials(filed: Set<ConferenceDocument>) -> [ConferenceDocument] {
        rules.materials.value.filter { !filed.contains($0) }
    }

    // MARK: participants and programme

    /// One person on the list of participants, with the offices the roster gives them.
    public struct Participant: Sendable, Equatable {
        public var name: String
        public var role: ParticipantRole
        public var offices: Set<Official>
        public var onPodium: Bool

        public init(name: String, role: ParticipantRole, offices: Set<Official>, onPodium: Bool) {
            self.name = name
            self.role = role
            self.offices = offices
            self.onPodium = onPodium
        }
    }

    /// Speaker and host rules (001 §15(四); 003 §30) and the podium limit (003 §33 "一般不超过5人").
    public func checkParticipants(_ people: [Participant], level: ConferenceLevel) throws(DomainError) {
        var v = Problems()
        let mains = people.filter { $0.role == .mainSpeaker }
        let hosts = people.filter { $0.role == .host }
        if mains.isEmpty { v.add("participants", "须确定主发布人") }
        if hosts.isEmpty { v.add("participants", "须确定主持人") }
        if let rule = rules.speakers.value {
            let r = level == .government ? rule.governmentLevel : rule.newsOfficeLevel
            let cite = rules.speakers.source
            for p in mains where p.offices.isDisjoint(with: r.main) {
                v.add("participants", "主发布人“\(p.name)”不符合要求：\(level.label)的发布会，主发布人应为\(r.main.labels)（\(cite)）")
            }
            for p in hosts where p.offices.isDisjoint(with: r.host) {
                v.add("participants", "主持人“\(p.name)”不符合要求：\(level.label)的发布会，主持人应为\(r.host.labels)（\(cite)）")
            }
        }
        if let max = rules.maxPodium.value {
            let podium = people.filter(\.onPodium).count
            if podium > max {
                v.add("participants", "主席台人数为\(podium)人，超过上限\(max)人（\(Self.cite(rules.maxPodium))）")
            }
        }
        try v.check(code: "participants_invalid")
    }

    /// One segment of the programme.
    public struct Segment: Sendable, Equatable {
        public var kind: SegmentKind
        public var speaker: String
        /// The agency speaking, for the joint-release limit.
        public var agencyID: String?
        public var minutes: Int

        public init(kind: SegmentKind, speaker: String, agencyID: String?, minutes: Int) {
            self.kind = kind
            self.speaker = speaker
            self.agencyID = agencyID
            self.minutes = minutes
        }
    }

    /// Event limits (003 §33): a Q&A segment at a 发布会, ≤ 1 hour, the lead agency of a joint
    /// release ≤ 15 minutes. Each violation names the rule and its citation.
    public func checkProgramme(_ segments: [Segment], form: ReleaseForm, jointLeadAgency: String?) throws(DomainError) {
        var v = Problems()
        if segments.isEmpty { v.add("segments", "议程不能为空") }
        for (i, s) in segments.enumerated() where !(1...600).contains(s.minutes) {
            v.add("segments[\(i)].minutes", "第\(i + 1)项时长应为1–600分钟")
        }
        if form == .pressConference, rules.qaRequired.value, !segments.contains(where: { $0.kind == .qa }) {
            v.add("segments", "缺少记者提问环节（\(Self.cite(rules.qaRequired))）")
        }
        // Out-of-range minutes are already refused above; clamped here so the sum cannot overflow.
        let clamped = segments.map { min(max($0.minutes, 0), 600) }
        let total = clamped.reduce(0, +)
        if let max = rules.maxDurationMinutes.value, total > max {
            v.add("segments", "发布会总时长\(total)分钟，超过上限\(max)分钟（\(Self.cite(rules.maxDurationMinutes))）")
        }
        if let lead = jointLeadAgency, let max = rules.jointLeadMinutes.value {
            // A statement without an agency is the lead agency's: the limit cannot be dodged by leaving it out.
            let leadMinutes = zip(segments, clamped).filter { $0.0.kind == .statement && ($0.0.agencyID ?? lead) == lead }.reduce(0) { $0 + $1.1 }
            if leadMinutes > max {
                v.add("segments", "联合发布中主发布单位发布时间\(leadMinutes)分钟，超过上限\(max)分钟（\(Self.cite(rules.jointLeadMinutes))）")
            }
        }
        try v.check(code: "programme_invalid")
    }

    /// Every broken rule, in order (a `Validator` keeps one message per field; here several
    /// rules may break on the same list and each is named).
    struct Problems {
        var items: [(field: String, message: String)] = []
        mutating func add(_ field: String, _ message: String) { items.append((field, message)) }

        func check(code: String) throws(DomainError) {
            guard !items.isEmpty else { return }
            var fields: [String: String] = [:]
            for i in items { fields[i.field] = fields[i.field].map { "\($0)；\(i.message)" } ?? i.message }
            throw DomainError(.invalid, code: code, message: items.map(\.message).joined(separator: "；") + "。", fields: fields)
        }
    }

    /// `003 §33：“发布会时间原则上不超过1个小时”`
    public static func cite<T>(_ c: Cited<T>) -> String {
        c.quote.map { "\(c.source)：“\($0)”" } ?? c.source
    }
}

/// The content-approval chain (内容审定) of one round: stages in order, each needing one of its
/// officials (001 §15(三); 003 §31(二)(三)).
public struct ApprovalChain: Sendable, Equatable {
    public let stages: [[Official]]
    public let source: String

    public init(rules: ApprovalRules, major: Bool) {
        let c = major ? rules.major : rules.routine
        stages = c.value
        source = ConferenceChecks.cite(c)
    }

    /// Checks that `holder` may decide stage `stage` of an activity of `agency` submitted by
    /// `submittedBy`; `decidedBy` are the accounts that already decided earlier stages of the
    /// round. Returns the offices it acts in.
    public func check(stage: Int, holder: OfficeHolder, agency: String, tree: AgencyTree,
                      submittedBy: String, decidedBy: [String]) throws(DomainError) -> [Official] {
        guard stages.indices.contains(stage) else {
            throw DomainError(.conflict, code: "approval_complete", message: "内容审定已全部完成。")
        }
        if holder.userID == submittedBy {
            throw DomainError(.forbidden, code: "self_approval", message: "不能审定本人提交的申报：内容审定须由他人进行（\(source)）。")
        }
        if decidedBy.contains(holder.userID) {
            throw DomainError(.forbidden, code: "repeat_approval", message: "您已审定过本轮的前一环节，同一人不能审定两个环节（\(source)）。")
        }
        let acting = holder.matching(stages[stage], for: agency, tree: tree)
        if acting.isEmpty {
            throw DomainError(.forbidden, code: "not_approver",
                              message: "本环节（第\(stage + 1)级，共\(stages.count)级）须由\(stages[stage].labels)审定，您的账号未被授予该职务（\(source)）。")
        }
        return acting
    }

    /// What the chain looks like, e.g. 「本单位主要负责人或本单位新闻发言人 → 分管政府领导 → 政府主要负责人」.
    public var text: String { stages.map(\.labels).joined(separator: " → ") }
}
