import Core
import Fluent
import Vapor

/// What every staff page's frame needs: who is logged in, the CSRF token, the active menu.
struct Frame: Encodable {
    var title: String
    var nav: String
    var userName: String
    var roleLabel: String
    var csrf: String
    var canReadAudit: Bool
    var canManage: Bool
    /// Sees the journalists' interview requests (news offices and administrators).
    var canSeeInterviews: Bool
    var notice: String?
    var error: String?
    var fieldErrors: [String: String]
    /// Unread notifications, for the badge in the menu (kept live by `/js/notify.js`).
    var unread: Int
}

/// A page: the frame plus the page's own data, rendered by template `template`.
struct Page<Body: Encodable>: Encodable {
    var frame: Frame
    var body: Body
}

extension Request {
    func frame(title: String, nav: String, notice: String? = nil, error: DomainError? = nil) async throws -> Frame {
        let p = try requirePrincipal()
        let access = try await access()
        return Frame(title: title, nav: nav, userName: p.user.displayName, roleLabel: p.actor.role.label,
                     csrf: p.session?.csrfToken ?? "", canReadAudit: access.canReadAudit, canManage: access.canManageUsers,
                     canSeeInterviews: access.canSeeInterviewRequests,
                     notice: notice, error: error?.message, fieldErrors: error?.fields ?? [:],
                     unread: try await NotificationModel.query(on: db).filter(\.$userID == p.user.id!).filter(\.$readAt == nil).count())
    }

    func renderPage<B: Encodable>(_ template: String, title: String, nav: String, body: B,
                                  notice: String? = nil, error: DomainError? = nil) async throws -> Response {
        let frame = try await frame(title: title, nav: nav, notice: notice, error: error)
        let res = try await view.render(template, Page(frame: frame, body: body)).encodeResponse(for: self)
        if let error { res.status = FabuErrorMiddleware.describe(error, requestID: id).0 }
        return res
    }
}

/// Fixed notices after a successful form post, picked by a code in the query string (never
/// free text from the URL).
enum Notice {
    static func text(_ code: String?) -> String? {
        switch code {
        case "appointed": "已登记任职，并列入待备案变动。"
        case "interview-handled": "已办结该采访申请。"
        case "ended": "已登记离任，并列入待备案变动。"
        case "person": "已添加人员。"
        case "filed": "已提交备案，等待上级新闻办审核。"
        case "accepted": "已确认备案。"
        case "returned": "已退回备案，并通知报送单位。"
        case "published": "已发布名单。"
        case "imported": "已导入名册。"
        case "notice": "已载入放假安排，新的期限将按其计算。"
        case "adjusted": "已添加本地调整。"
        case "unadjusted": "已删除本地调整。"
        // release activities
        case "created": "已创建发布活动（草稿）。请上传申报材料后提交。"
        case "edited": "已保存修改。"
        case "submitted": "已提交申报。"
        case "signOff-approve": "已审签同意，申报已送新闻办审核。"
        case "signOff-return": "已退回申报单位修改。"
        case "review-approve": "审核通过，进入内容审定。"
        case "review-return": "已退回申报单位修改，意见已记录。"
        case "review-reject": "已作出不予通过的决定。"
        case "approval-approve": "已审定同意。"
        case "approval-return": "已退回申报单位修改。"
        case "assessed": "已记录审查结果。"
        case "participants": "已保存发布人和主持人。"
        case "programme": "已保存议程。"
        case "uploaded": "已上传材料。"
        case "scheduled": "已排期。"
        case "previewed": "已发布预告。"
        case "changed": "已登记变更，活动须重新报批。"
        case "held": "已标记为已举行。"
        case "released": "已发布。"
        case "transcript": "已录入文字实录。"
        case "coverage": "已登记媒体报道。"
        case "evaluated": "已保存效果评估。"
        case "archived": "简报已存档，活动已归档。"
        case "withdrawn": "已撤回（取消）该活动。"
        case "sitting": "已增加场次。"
        case "sittingHeld": "已标记该场次为已举行。"
        case "emergency-conference": "已从突发事件创建应急新闻发布会（草稿，不受提前申报时限限制）。请确定发布人、议程并上传材料后提交。"
        // emergency incidents
        case "incident-registered": "已登记突发事件，时限从发生时间起算。"
        case "incident-updated": "已更新事件情况；如触发新的时限，已列入时限。"
        case "releaser": "已调整发布责任主体。"
        case "first-release": "已登记首次权威信息发布，首发时限已完成。"
        case "follow-up": "已登记后续发布。"
        case "warning-issued": "已发布预警。"
        case "warning-updated": "已调整预警。"
        case "warning-lifted": "已解除预警。"
        case "incident-closed": "已结束该突发事件，未完成的时限已取消。"
        default: nil
        }
    }
}

struct AgencyRow: Encodable {
    var id: UUID
    var name: String
    var kindLabel: String
    var isKeyDepartment: Bool
    var depth: Int
    var spokespersons: String
    var gaps: Int
    var overdue: Int
}

struct JurisdictionTree: Encodable {
    var id: String
    var name: String
    var newsOfficeName: String
    var profileID: String
    var agencies: [AgencyRow]
}
