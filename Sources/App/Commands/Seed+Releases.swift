import Core
import Fluent
import Vapor

/// Demo release activities, walked through the real commands so every clock, decision and
/// timeline entry is what a user would have produced.
extension DemoSeed {
    static func seedReleases(app: Application, now: Date) async throws {
        let tree = AgencyTree(try await AgencyModel.query(on: app.db).all().map(\.node))
        func service(_ username: String) async throws -> ReleaseService? {
            guard let u = try await UserModel.query(on: app.db).filter(\.$username == username).first() else { return nil }
            return ReleaseService(db: app.db, app: app, user: u, access: AccessPolicy(actor: u.actor, tree: tree),
                                  audit: .system(username, now: now))
        }
        func agency(_ j: String, _ name: String) async throws -> UUID? {
            try await AgencyModel.query(on: app.db).filter(\.$jurisdictionID == j).filter(\.$name == name).first()?.id
        }
        let today = CivilDate(now)
        func at(_ days: Int, _ time: String) -> String { "\(today.adding(days: days)) \(time)" }
        func attach(_ s: ReleaseService, _ id: UUID?, _ kinds: [ConferenceDocument]) async throws {
            for k in kinds {
                _ = try await s.upload(id, kind: k.rawValue, filename: "\(k.label).txt", isPublic: false,
                                       bytes: Array("【示例】\(k.label)\n本文件为演示数据。".utf8))
            }
        }

        // Wulong: a thematic conference of the development commission, signed off and waiting
        // for the district news office's review (001 §15).
        if let fgw = try await service("wulong-fgw"), let head = try await service("wulong-fgw-head"),
           let agencyID = try await agency("wulong", "区发展和改革委员会") {
            let a = try await fgw.create(ActivityInput(
                agencyId: agencyID, title: "武隆区2027年重大项目建设情况新闻发布会",
                summary: "介绍2027年全区重大项目安排、投资计划和民生工程进展。", form: "pressConference",
                category: "governmentAffairs", conferenceClass: "thematic", organiser: "ownNewsOffice", level: "newsOffice",
                startsAt: at(31, "10:00"), media: "武隆区融媒体中心、重庆日报"))
            try await attach(fgw, a.id, [.applicationForm, .workPlan, .statement])
            _ = try await fgw.submit(a.id, SubmitInput())
            _ = try await head.signOff(a.id, DecisionInput(decision: "approve", comment: "同意申报。"))
        }
        // Wulong: a written release of the education commission, released.
        if let jw = try await service("wulong-jw"), let head = try await service("wulong-jw-head"),
           let agencyID = try await agency("wulong", "区教育委员会") {
            let a = try await jw.create(ActivityInput(
                agencyId: agencyID, title: "关于2027年春季学期中小学报名工作的通告",
                summary: "公布2027年春季学期报名时间、地点和所需材料。", form: "writtenRelease", category: "governmentAffairs"))
            _ = try await jw.submit(a.id, SubmitInput())
            _ = try await head.approve(a.id, DecisionInput(decision: "approve", comment: "同意发布。"))
            _ = try await jw.assess(a.id, AssessmentInput(kind: "confidentiality", outcome: "passed", reviewer: "郑敏", comment: "不涉密。"))
            _ = try await jw.release(a.id)
        }
        // Huludao: a conference approved and in preparation, its materials still missing (003 §34).
        if let fgw = try await service("huludao-fgw"), let head = try await service("huludao-fgw-head"),
           let news = try await service("huludao-news"), let agencyID = try await agency("huludao", "市发展和改革委员会") {
            let a = try await fgw.create(ActivityInput(
                agencyId: agencyID, title: "葫芦岛市今冬明春能源保供工作新闻发布会",
                summary: "通报今冬明春煤电油气保供措施和价格监测情况。", form: "pressConference", category: "publicConcern",
                conferenceClass: "thematic", organiser: "ownNewsOffice", level: "newsOffice", startsAt: at(17, "09:30"),
                media: "葫芦岛日报、葫芦岛广播电视台"))
            try await attach(fgw, a.id, [.applicationForm])
            _ = try await fgw.submit(a.id, SubmitInput())
            _ = try await head.signOff(a.id, DecisionInput(decision: "approve", comment: "同意。"))
            _ = try await news.review(a.id, DecisionInput(decision: "approve", comment: "同意召开，请按时报送会前材料。"))
            _ = try await head.approve(a.id, DecisionInput(decision: "approve", comment: "内容审定同意。"))
            try await attach(fgw, a.id, [.statement, .hostScript])
        }
    }
}
