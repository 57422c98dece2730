/// Decides whether a roster change is allowed under a jurisdiction's profile (SPEC §1).
public struct RosterPolicy: Sendable {
    public let rules: RosterRules

    public init(_ rules: RosterRules) { self.rules = rules }

    /// Checks a new term against the agency's existing terms. Throws a Chinese error naming the
    /// field and the rule, with its citation.
    public func checkAppointment(_ term: PositionTerm, existing: [PositionTerm]) throws(DomainError) {
        var v = Validator()
        if let end = term.end, end < term.start {
            v.add("endDate", "结束日期不能早于生效日期（\(term.start)）")
        }
        if term.kind == .temporarySpokesperson {
            if !rules.temporarySpokesperson.value {
                throw DomainError(.invalid, code: "post_not_allowed",
                                  message: "本辖区未设临时新闻发言人（\(rules.temporarySpokesperson.source)）。",
                                  fields: ["kind": "本辖区不设临时新闻发言人"])
            }
            if (term.scope ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                v.add("scope", "临时新闻发言人须注明授权发布的事项范围（003 §8）")
            }
            if term.end == nil {
                v.add("endDate", "临时新闻发言人须注明授权结束日期（003 §8）")
            }
        } else if rules.limit(for: term.kind) == nil {
            throw DomainError(.invalid, code: "post_not_allowed",
                              message: "本辖区的规定未设\(term.kind.label)岗位。", fields: ["kind": "岗位不适用于本辖区"])
        }
        try v.check()

        let sameKind = existing.filter { $0.kind == term.kind && $0.agencyID == term.agencyID && $0.id != term.id }
        if sameKind.contains(where: { $0.personID == term.personID && $0.overlaps(term) }) {
            throw DomainError(.conflict, code: "already_holds_post",
                              message: "此人在该期间已担任本单位\(term.kind.label)。", fields: ["personId": "已担任该岗位"])
        }
        if let limit = rules.limit(for: term.kind) {
            let peak = Self.peakConcurrent(sameKind, within: term) + 1
            if peak > limit.max {
                throw DomainError(.invalid, code: "post_limit_exceeded",
                                  message: "每个单位最多设\(limit.max)名\(term.kind.label)（\(limit.source)）；请先为现任人员设置离任日期。",
                                  fields: ["kind": "\(term.kind.label)人数超过上限\(limit.max)"])
            }
        }
    }

    /// The most terms of `terms` held on any single day of `span`.
    static func peakConcurrent(_ terms: [PositionTerm], within span: PositionTerm) -> Int {
        let overlapping = terms.filter { $0.overlaps(span) }
        // The count can only rise at a term's start (or at the span's start).
        let probes = [span.start] + overlapping.map(\.start).filter { day in day > span.start && (span.end.map { day <= $0 } ?? true) }
        return probes.map { day in overlapping.filter { $0.isHeld(on: day) }.count }.max() ?? 0
    }

    /// Posts below their minimum on `day`, for the roster page's warnings.
    public func gaps(in terms: [PositionTerm], on day: CivilDate) -> [RosterGap] {
        PositionKind.allCases.compactMap { kind in
            guard let limit = rules.limit(for: kind), limit.min > 0 else { return nil }
            let held = terms.filter { $0.kind == kind && $0.isHeld(on: day) }.count
            return held < limit.min ? RosterGap(kind: kind, required: limit.min, held: held, source: limit.source) : nil
        }
    }
}

/// A post with fewer holders than the profile requires.
public struct RosterGap: Hashable, Sendable {
    public let kind: PositionKind
    public let required: Int
    public let held: Int
    public let source: String

    public var message: String { "缺少\(kind.label)：应设\(required)名，现有\(held)名（\(source)）" }
}
