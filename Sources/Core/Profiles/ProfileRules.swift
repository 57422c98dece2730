/// One resolved rule of a profile, as people read it: `fabu profiles show`, the profile page
/// and `/api/v1/profiles/{id}` all list these.
public struct ProfileRule: Sendable, Equatable, Codable {
    public var section: String
    /// The key path in the profile file, e.g. `conference.reviewWorkingDays`.
    public var key: String
    public var label: String
    public var value: String
    public var source: String
    public var quote: String?
}

extension PolicyProfile {
    /// Every rule with a Chinese label and its value in words ("未规定" when the regulation
    /// sets none), in the order of SPEC §1–§10.
    public var rules: [ProfileRule] {
        var out: [ProfileRule] = []
        func add<V>(_ section: String, _ key: String, _ label: String, _ cited: Cited<V>, _ text: (V) -> String) {
            out.append(ProfileRule(section: section, key: key, label: label, value: text(cited.value), source: cited.source, quote: cited.quote))
        }
        func number(_ unit: String) -> (Int?) -> String { { $0.map { "\($0) \(unit)" } ?? "未规定" } }
        func yes(_ v: Bool) -> String { v ? "是" : "否" }
        func officials(_ list: [Official]) -> String { list.map(\.label).joined(separator: " 或 ") }
        func chain(_ stages: [[Official]]) -> String { stages.map(officials).joined(separator: " → ") }
        func documents(_ list: [ConferenceDocument]) -> String { list.isEmpty ? "未规定" : list.map(\.label).joined(separator: "、") }

        let r = "新闻发言人"
        for kind in PositionKind.allCases where kind != .temporarySpokesperson {
            let limit = roster.limit(for: kind)
            out.append(ProfileRule(section: r, key: "roster.limits.\(kind.rawValue)", label: "\(kind.label)人数",
                                   value: limit.map { $0.min == $0.max ? "\($0.min) 人" : "\($0.min)–\($0.max) 人" } ?? "不设",
                                   source: limit?.source ?? "未设此职务", quote: limit?.quote))
        }
        add(r, "roster.temporarySpokesperson", "可授权临时新闻发言人", roster.temporarySpokesperson, yes)
        add(r, "roster.changeFilingMonths", "人员变动报备时限", roster.changeFilingMonths) { $0.map { "\($0) 个月内" } ?? "及时（未定期限）" }
        add(r, "roster.publishedPosts", "每年公布的职务", roster.publishedPosts) { $0.map(\.label).joined(separator: "、") }
        add(r, "roster.newsOfficeName", "新闻发布主管部门", roster.newsOfficeName) { $0 }
        add(r, "roster.governmentSpokesperson", "政府新闻发言人人选", roster.governmentSpokesperson) { $0 ?? "未规定" }
        add(r, "roster.yearlySubmission", "每年初报送发言人信息", roster.yearlySubmission, yes)

        add("信息发布", "releases.routineWithinWorkingDays", "常规信息审定后发布时限", releases.routineWithinWorkingDays, number("个工作日内"))

        let c = "新闻发布会", k = conference
        add(c, "conference.applicationLeadWorkingDays", "选题申报提前", k.applicationLeadWorkingDays, number("个工作日"))
        add(c, "conference.applicationSignOff", "申报前单位内部审核", k.applicationSignOff) { $0.label }
        add(c, "conference.applicationDocuments", "申报材料", k.applicationDocuments, documents)
        add(c, "conference.reviewWorkingDays", "新闻办审核时限", k.reviewWorkingDays, number("个工作日内"))
        add(c, "conference.approval.routine", "内容审定（一般事项）", k.approval.routine, chain)
        add(c, "conference.approval.major", "内容审定（重大事项）", k.approval.major, chain)
        add(c, "conference.confidentialityReview", "保密审查", k.confidentialityReview) { $0 ? "必须" : "未规定" }
        add(c, "conference.stabilityRiskAssessment", "社会稳定风险评估", k.stabilityRiskAssessment) { $0 ? "必须" : "未规定" }
        add(c, "conference.materialsLeadWorkingDays", "会前材料报备提前", k.materialsLeadWorkingDays, number("个工作日"))
        add(c, "conference.materials", "会前材料", k.materials, documents)
        add(c, "conference.speakers", "发布人、主持人", k.speakers) { s in
            guard let s else { return "未规定" }
            return "政府名义：主发布人 \(officials(s.governmentLevel.main))，主持人 \(officials(s.governmentLevel.host))；"
                + "新闻办名义或自主召开：主发布人 \(officials(s.newsOfficeLevel.main))，主持人 \(officials(s.newsOfficeLevel.host))"
        }
        add(c, "conference.venue", "发布场地", k.venue) { $0 ?? "未规定" }
        add(c, "conference.qaRequired", "须设记者提问环节", k.qaRequired, yes)
        add(c, "conference.maxDurationMinutes", "发布会时长上限", k.maxDurationMinutes, number("分钟"))
        add(c, "conference.maxPodium", "主席台人数上限", k.maxPodium, number("人"))
        add(c, "conference.jointLeadMinutes", "联合发布时主发布单位发言上限", k.jointLeadMinutes, number("分钟"))
        add(c, "conference.preview", "发布预告", k.preview, yes)
        add(c, "conference.liveStream", "网络直播", k.liveStream, yes)
        add(c, "conference.briefReport", "会后简报存档", k.briefReport, yes)
        add(c, "conference.scheduledSeries", "定时系列发布", k.scheduledSeries, yes)

        add("期限提醒", "deadlines.reminderHours", "到期前提醒", deadlines.reminderHours) { $0.isEmpty ? "不提醒" : $0.map { "\($0) 小时" }.joined(separator: "、") + "前" }

        let e = "突发事件"
        add(e, "emergency.firstReleaseHours", "首次权威信息发布", emergency.firstReleaseHours) { $0.map { "事件发生后 \($0) 小时内" } ?? "第一时间（未定小时数）" }
        add(e, "emergency.conferenceHours", "新闻发布会", emergency.conferenceHours) { $0.map { "事件发生后 \($0) 小时内" } ?? "未规定" }
        add(e, "emergency.conferenceWhen", "须召开发布会的情形", emergency.conferenceWhen) { $0.isEmpty ? "未规定" : $0.map(\.label).joined(separator: "，或") }
        add(e, "emergency.immediateOnMajorOnlineOpinion", "社会安全事件形成重大网络舆情时立即发布", emergency.immediateOnMajorOnlineOpinion, yes)
        add(e, "emergency.releaser", "发布责任主体", emergency.releaser) { r in
            guard let r else { return "未规定" }
            return IncidentLevel.allCases.reversed().map { "\($0.label)：\(r.releaser(for: $0).label)" }.joined(separator: "；")
        }
        add(e, "emergency.notifyPropaganda", "第一时间通报宣传部门", emergency.notifyPropaganda, yes)

        for q in quotas {
            let who = q.organiser == .any ? "" : "（\(q.organiser.label)）"
            out.append(ProfileRule(section: "主动发布指标", key: "quotas.\(q.id)", label: q.actor.label,
                                   value: "\(q.period.label)至少 \(q.minimum) 次\(q.activity.label)\(who)", source: q.source, quote: q.quote))
        }
        if quotas.isEmpty {
            out.append(ProfileRule(section: "主动发布指标", key: "quotas", label: "指标", value: "未规定", source: sources.first ?? "", quote: nil))
        }

        let i = "政策解读"
        add(i, "interpretation.publishWithPolicy", "解读与文件同步发布", interpretation.publishWithPolicy, yes)
        add(i, "interpretation.planRequired", "报送解读方案", interpretation.planRequired, yes)
        add(i, "interpretation.expertPool", "专家队伍", interpretation.expertPool, yes)

        let v = "评估与培训"
        add(v, "evaluation.cadence", "考核评估周期", evaluation.cadence) { $0?.label ?? "未规定" }
        add(v, "evaluation.circular", "通报周期", evaluation.circular) { $0?.label ?? "未定周期" }
        add(v, "evaluation.selfEvaluation", "单位年度自评", evaluation.selfEvaluation, yes)
        add(v, "evaluation.thirdPartyPanel", "第三方专家评估", evaluation.thirdPartyPanel, yes)
        add(v, "evaluation.trainingRotationYears", "发言人轮训周期", evaluation.trainingRotationYears) { $0.map { "\($0) 年内轮训一遍" } ?? "未定周期" }
        return out
    }
}
