/// Where a release activity is in its life. A press conference walks the full workflow of
/// SPEC §4; every other form takes the light path draft → approval → approved → released.
/// Nothing is ever deleted: rejected, withdrawn and cancelled records keep their history.
public enum ActivityStage: String, Codable, Sendable, CaseIterable {
    /// 草稿 — the agency is preparing it.
    case draft
    /// 待本单位审签 — the application waits for the agency head's sign-off before it leaves
    /// (001 §15(一) "经主要负责人审核同意"; 003 §31(三) "经本部门主要领导审签").
    case signOff
    /// 新闻办审核中 — with the supervising news office, on its review clock.
    case review
    /// 退回修改 — sent back with comments; the agency edits and submits again.
    case returned
    /// 内容审定中 — climbing the content-approval chain of the profile.
    case approval
    /// 筹备中 — approved; materials, participants, programme and the reviews are being completed.
    case preparing
    /// 已审定待发布 — light path: approved, waits for the confidentiality review and release.
    case approved
    /// 已排期 — every check has passed; the preview may be published.
    case scheduled
    /// 已举行 — held; transcript, coverage and the brief report are being collected.
    case held
    /// 已归档 — the brief report is archived with the news office; the record is closed.
    case closed
    /// 已发布 — light path: released.
    case released
    /// 未通过 — rejected by the news office.
    case rejected
    /// 已撤回 — withdrawn by the agency before it was held.
    case withdrawn
    /// 已取消 — cancelled after approval.
    case cancelled

    public var label: String {
        switch self {
        case .draft: "草稿"
        case .signOff: "待本单位审签"
        case .review: "新闻办审核中"
        case .returned: "退回修改"
        case .approval: "内容审定中"
        case .preparing: "筹备中"
        case .approved: "已审定待发布"
        case .scheduled: "已排期"
        case .held: "已举行"
        case .closed: "已归档"
        case .released: "已发布"
        case .rejected: "未通过"
        case .withdrawn: "已撤回"
        case .cancelled: "已取消"
        }
    }

    /// The record is finished; nothing more can happen to it.
    public var isFinal: Bool { [.closed, .released, .rejected, .withdrawn, .cancelled].contains(self) }

    /// The agency may still edit what it applies for (title, time, place, content).
    public var isEditableByAgency: Bool { self == .draft || self == .returned }

    /// Already approved: a change of time, place or content now goes back through approval
    /// (003 §32 "按照审批的内容举行…如有变化需重新报批"; SPEC §4.9).
    public var isApproved: Bool { [.preparing, .approved, .scheduled].contains(self) }
}

/// The actions of the workflow, each one audited and shown on the timeline.
public enum ActivityAction: String, Codable, Sendable, CaseIterable {
    case create, edit, submit, signOff, refuseSignOff, approveReview, returnReview, rejectReview
    case approve, refuseApproval, recordConfidentiality, recordStability, uploadDocument
    case setParticipants, setProgramme, schedule, publishPreview, change, hold, release
    case addTranscript, addCoverage, evaluate, archiveBriefReport, withdraw, cancel, addSitting, holdSitting

    public var label: String {
        switch self {
        case .create: "创建"
        case .edit: "修改"
        case .submit: "提交申报"
        case .signOff: "本单位审签同意"
        case .refuseSignOff: "本单位审签退回"
        case .approveReview: "新闻办审核通过"
        case .returnReview: "新闻办退回修改"
        case .rejectReview: "新闻办不予通过"
        case .approve: "内容审定同意"
        case .refuseApproval: "内容审定退回"
        case .recordConfidentiality: "保密审查"
        case .recordStability: "社会稳定风险评估"
        case .uploadDocument: "上传材料"
        case .setParticipants: "确定发布人和主持人"
        case .setProgramme: "确定议程"
        case .schedule: "排期"
        case .publishPreview: "发布预告"
        case .change: "审批后变更"
        case .hold: "已举行"
        case .release: "发布"
        case .addTranscript: "文字实录"
        case .addCoverage: "媒体报道"
        case .evaluate: "效果评估"
        case .archiveBriefReport: "简报存档"
        case .withdraw: "撤回"
        case .cancel: "取消"
        case .addSitting: "增加场次"
        case .holdSitting: "场次已举行"
        }
    }
}
