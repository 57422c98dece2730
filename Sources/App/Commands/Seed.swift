import Core
import Fluent
import Vapor

/// Demo data for the four jurisdictions of the seeds. Names and phone numbers are invented.
enum DemoSeed {
    struct Node {
        var name: String
        var kind: AgencyKind
        var key: Bool = false
        var phone: String = ""
        var children: [Node] = []
        /// (post, name, title) held in this agency.
        var posts: [(PositionKind, String, String)] = []
    }

    struct Jurisdiction {
        var id: String
        var name: String
        var agencies: [Node]
    }

    static func dept(_ name: String, key: Bool = false, phone: String, _ posts: [(PositionKind, String, String)]) -> Node {
        Node(name: name, kind: .department, key: key, phone: phone, posts: posts)
    }

    static let jurisdictions: [Jurisdiction] = [
        Jurisdiction(id: "wulong", name: "重庆市武隆区", agencies: [
            Node(name: "武隆区人民政府", kind: .government, phone: "023-7770-0001",
                 posts: [(.principal, "周建国", "区长"), (.spokesperson, "陈立新", "副区长（分管常务工作）")]),
            Node(name: "区政府新闻办", kind: .newsOffice, phone: "023-7770-0100",
                 posts: [(.principal, "王晓燕", "区政府新闻办主任"), (.assistant, "刘洋", "区政府新闻办主任（专职新闻发言人助理）")]),
            dept("区发展和改革委员会", key: true, phone: "023-7770-0201",
                 [(.principal, "赵志刚", "主任"), (.spokesperson, "孙丽", "副主任"), (.assistant, "钱伟", "办公室主任")]),
            dept("区教育委员会", key: true, phone: "023-7770-0202",
                 [(.principal, "李红梅", "主任"), (.spokesperson, "吴涛", "副主任"), (.assistant, "郑敏", "宣传科科长")]),
            dept("区卫生健康委员会", key: true, phone: "023-7770-0203",
                 [(.principal, "冯军", "主任"), (.spokesperson, "何静", "副主任"), (.assistant, "许斌", "办公室主任")]),
            dept("区应急管理局", key: true, phone: "023-7770-0204",
                 [(.principal, "邓强", "局长"), (.spokesperson, "曹雪", "副局长")]),
            dept("区文化和旅游发展委员会", key: true, phone: "023-7770-0205",
                 [(.principal, "彭博", "主任"), (.spokesperson, "袁芳", "副主任"), (.assistant, "蒋磊", "宣传科科长")]),
            Node(name: "仙女山街道", kind: .township, phone: "023-7770-0301",
                 posts: [(.principal, "韩冬", "党工委书记"), (.spokesperson, "唐宁", "副主任"), (.assistant, "沈丹", "党政办主任")]),
            Node(name: "白马镇", kind: .township, phone: "023-7770-0302",
                 posts: [(.principal, "罗刚", "镇长"), (.spokesperson, "梁静", "副镇长"), (.assistant, "宋凯", "党政办主任")]),
            Node(name: "江口镇", kind: .township, phone: "023-7770-0303", posts: [(.principal, "谢华", "镇长")]),
        ]),
        Jurisdiction(id: "dayao", name: "云南省大姚县", agencies: [
            Node(name: "大姚县人民政府", kind: .government, phone: "0878-620-0001",
                 posts: [(.principal, "杨光明", "县长"), (.spokesperson, "段雪梅", "县政府办公室主任"), (.assistant, "李文", "县政府办公室秘书科科长")]),
            Node(name: "县委宣传部", kind: .newsOffice, phone: "0878-620-0100",
                 posts: [(.principal, "张晓东", "县委宣传部部长"), (.assistant, "普红", "新闻科科长")]),
            dept("县教育体育局", phone: "0878-620-0201", [(.principal, "杞建华", "局长"), (.spokesperson, "李桂芳", "副局长"), (.assistant, "毕云", "办公室主任")]),
            dept("县卫生健康局", phone: "0878-620-0202", [(.principal, "鲁兴", "局长"), (.spokesperson, "起丽", "副局长"), (.assistant, "王静", "办公室主任")]),
            dept("县应急管理局", phone: "0878-620-0203", [(.principal, "施勇", "局长"), (.spokesperson, "罗梅", "副局长")]),
            Node(name: "金碧镇", kind: .township, phone: "0878-620-0301",
                 posts: [(.principal, "杨春", "镇长"), (.spokesperson, "周琼", "副镇长"), (.assistant, "自翔", "党政办主任")]),
            Node(name: "石羊镇", kind: .township, phone: "0878-620-0302",
                 posts: [(.principal, "赵林", "镇长"), (.spokesperson, "李娜", "副镇长"), (.assistant, "罗成", "党政办主任")]),
        ]),
        Jurisdiction(id: "huludao", name: "辽宁省葫芦岛市", agencies: [
            Node(name: "葫芦岛市人民政府", kind: .government, phone: "0429-310-0001",
                 posts: [(.principal, "高振宇", "市长"), (.spokesperson, "于海涛", "市政府副秘书长"), (.assistant, "崔颖", "市政府办公室综合科科长")]),
            Node(name: "市委外宣办（市政府新闻办）", kind: .newsOffice, phone: "0429-310-0100",
                 posts: [(.principal, "马骏", "市委外宣办主任"), (.assistant, "孔丽", "新闻发布科科长")]),
            dept("市发展和改革委员会", key: true, phone: "0429-310-0201",
                 [(.principal, "董立", "主任"), (.spokesperson, "薛涛", "副主任"), (.assistant, "范琳", "综合科科长")]),
            dept("市教育局", key: true, phone: "0429-310-0202",
                 [(.principal, "魏东", "局长"), (.spokesperson, "潘红", "副局长"), (.assistant, "贾明", "办公室主任")]),
            dept("市卫生健康委员会", key: true, phone: "0429-310-0203",
                 [(.principal, "蔡宁", "主任"), (.spokesperson, "田野", "副主任"), (.assistant, "任杰", "办公室主任")]),
            dept("市生态环境局", key: true, phone: "0429-310-0204",
                 [(.principal, "姜涛", "局长"), (.spokesperson, "陆敏", "副局长"), (.assistant, "夏雨", "综合科科长")]),
            Node(name: "兴城市人民政府", kind: .government, phone: "0429-520-0001",
                 children: [
                    Node(name: "兴城市委宣传部", kind: .newsOffice, phone: "0429-520-0100",
                         posts: [(.principal, "石磊", "部长"), (.assistant, "邹洁", "新闻科科长")]),
                    Node(name: "兴城市教育局", kind: .department, phone: "0429-520-0201",
                         posts: [(.principal, "孟飞", "局长"), (.spokesperson, "白雪", "副局长"), (.assistant, "秦川", "办公室主任")]),
                    Node(name: "兴城市温泉街道", kind: .township, phone: "0429-520-0301",
                         posts: [(.principal, "尹峰", "主任"), (.spokesperson, "常青", "副主任")]),
                 ],
                 posts: [(.principal, "邵晨", "兴城市市长"), (.spokesperson, "龚平", "兴城市政府副秘书长"), (.assistant, "毛宇", "兴城市政府办公室科长")]),
        ]),
        Jurisdiction(id: "luan", name: "安徽省六安市", agencies: [
            Node(name: "六安市人民政府", kind: .government, phone: "0564-330-0001",
                 posts: [(.principal, "汪涛", "市长"), (.spokesperson, "储军", "市政府副秘书长"), (.liaison, "胡蓉", "市政府办公室科长")]),
            Node(name: "市政府新闻办", kind: .newsOffice, phone: "0564-330-0100",
                 posts: [(.principal, "程刚", "市政府新闻办主任"), (.liaison, "方婷", "新闻发布科科长")]),
            dept("市发展和改革委员会", key: true, phone: "0564-330-0201",
                 [(.principal, "查明", "主任"), (.spokesperson, "江波", "副主任"), (.spokesperson, "陶然", "总经济师"), (.liaison, "俞佳", "办公室主任")]),
            dept("市人力资源和社会保障局", key: true, phone: "0564-330-0202",
                 [(.principal, "操红", "局长"), (.spokesperson, "葛亮", "副局长"), (.liaison, "严冬", "办公室主任")]),
            dept("市卫生健康委员会", key: true, phone: "0564-330-0203",
                 [(.principal, "余洁", "主任"), (.spokesperson, "鲍军", "副主任"), (.liaison, "章敏", "宣传科科长")]),
            dept("市市场监督管理局", phone: "0564-330-0204",
                 [(.principal, "黄山", "局长"), (.spokesperson, "金鑫", "副局长")]),
        ]),
    ]

    /// Demo accounts: (username, name, role, agency name or nil, jurisdiction).
    static let accounts: [(String, String, Role, String?, String)] = [
        ("wulong-news", "王晓燕", .newsOffice, "区政府新闻办", "wulong"),
        ("wulong-fgw", "钱伟", .editor, "区发展和改革委员会", "wulong"),
        ("wulong-jw", "郑敏", .editor, "区教育委员会", "wulong"),
        ("dayao-news", "普红", .newsOffice, "县委宣传部", "dayao"),
        ("huludao-news", "孔丽", .newsOffice, "市委外宣办（市政府新闻办）", "huludao"),
        ("xingcheng-news", "邹洁", .newsOffice, "兴城市委宣传部", "huludao"),
        ("huludao-fgw", "范琳", .editor, "市发展和改革委员会", "huludao"),
        ("luan-news", "方婷", .newsOffice, "市政府新闻办", "luan"),
        ("auditor", "审计员", .auditor, nil, ""),
    ]

    /// Leaders who approve: (username, name, agency, jurisdiction, offices).
    static let approvers: [(String, String, String, String, [Official])] = [
        ("wulong-leader", "陈立新", "武隆区人民政府", "wulong", [.deputyHead, .governmentSpokesperson]),
        ("wulong-mayor", "周建国", "武隆区人民政府", "wulong", [.governmentHead]),
        ("wulong-fgw-head", "赵志刚", "区发展和改革委员会", "wulong", [.agencyPrincipal]),
        ("wulong-jw-head", "李红梅", "区教育委员会", "wulong", [.agencyPrincipal]),
        ("huludao-fgw-head", "董立", "市发展和改革委员会", "huludao", [.agencyPrincipal]),
        ("huludao-vice-mayor", "林海", "葫芦岛市人民政府", "huludao", [.deputyHead]),
        ("huludao-propaganda", "郭峰", "市委外宣办（市政府新闻办）", "huludao", [.propagandaDeputy]),
        ("huludao-mayor", "高振宇", "葫芦岛市人民政府", "huludao", [.governmentHead]),
    ]

    /// Seeds when the database has no jurisdictions yet; returns whether it did.
    @discardableResult
    static func seedIfEmpty(app: Application, password: String, now: Date) async throws -> Bool {
        guard try await JurisdictionModel.query(on: app.db).count() == 0 else { return false }
        let hash = try await app.password.async.hash(password)
        let ctx = AuditContext.system("seed-demo", now: now)
        let today = CivilDate(now)
        // Posts took effect at the start of last year, so this year's filings are settled.
        let start = CivilDate(year: today.year - 1, month: 1, day: 4)!
        try await app.db.transaction { db in
            var agencyIDs: [String: UUID] = [:]
            for (order, j) in jurisdictions.enumerated() {
                let profile = try app.profile(j.id)
                try await JurisdictionModel(id: j.id, name: j.name, profileID: profile.id, sortOrder: order).create(on: db)
                var sort = 0
                func insert(_ node: Node, parent: UUID?) async throws {
                    sort += 1
                    let a = AgencyModel(jurisdictionID: j.id, parentID: parent, name: node.name, kind: node.kind,
                                        isKeyDepartment: node.key, phone: node.phone, sortOrder: sort)
                    try await a.create(on: db)
                    agencyIDs["\(j.id)|\(node.name)"] = a.id!
                    for (kind, name, title) in node.posts {
                        let p = PersonModel(agencyID: a.id!, name: name, title: title, officePhone: node.phone)
                        try await p.create(on: db)
                        let term = PositionTerm(id: "", agencyID: a.id!.uuidString, personID: p.id!.uuidString, kind: kind,
                                                title: title, start: start)
                        try await PositionModel(term: term).create(on: db)
                    }
                    for child in node.children { try await insert(child, parent: a.id) }
                }
                for node in j.agencies { try await insert(node, parent: nil) }
            }
            for (username, name, role, agency, jurisdiction) in accounts {
                let agencyID = agency.flatMap { agencyIDs["\(jurisdiction)|\($0)"] }
                try await UserModel(username: username, displayName: name, passwordHash: hash, role: role, agencyID: agencyID).create(on: db)
            }
            for (username, name, agency, jurisdiction, offices) in approvers {
                let user = UserModel(username: username, displayName: name, passwordHash: hash, role: .approver,
                                     agencyID: agencyIDs["\(jurisdiction)|\(agency)"])
                user.offices = offices
                try await user.create(on: db)
            }
            try await AuditLog.append(on: db, ctx, action: "seed.demo", entityType: "system", entityID: "demo",
                                      before: Optional<String>.none,
                                      after: ["jurisdictions": String(jurisdictions.count), "accounts": String(accounts.count + approvers.count)])
        }
        try await seedActivity(app: app, now: now)
        try await seedReleases(app: app, now: now)
        return true
    }

    /// A few roster changes so the filing inbox is not empty: a pending filing in Wulong, and an
    /// unfiled Huludao change older than the one-month deadline of 003 §9.
    static func seedActivity(app: Application, now: Date) async throws {
        let admin = Actor(userID: "seed", role: .admin, agencyID: nil)
        let tree = AgencyTree(try await AgencyModel.query(on: app.db).all().map(\.node))
        let service = RosterService(db: app.db, access: AccessPolicy(actor: admin, tree: tree),
                                    audit: .system("seed-demo", now: now), profiles: app.profiles)
        let today = CivilDate(now)
        func agency(_ j: String, _ name: String) async throws -> AgencyModel? {
            try await AgencyModel.query(on: app.db).filter(\.$jurisdictionID == j).filter(\.$name == name).first()
        }
        if let a = try await agency("wulong", "区应急管理局") {
            let p = try await service.createPerson(PersonInput(agencyId: a.id!, name: "林峰", title: "办公室主任", officePhone: a.phone))
            _ = try await service.appoint(agency: a.id!, AppointInput(personId: p.id!, kind: "assistant", title: "办公室主任",
                                                                       startDate: today.description))
            _ = try await service.submitFiling(SubmitFilingInput(agencyId: a.id!, note: "新任新闻助理，请予备案。"))
        }
        if let a = try await agency("huludao", "市教育局"),
           let old = try await PositionModel.query(on: app.db).filter(\.$agencyID == a.id!).filter(\.$kind == "assistant").first() {
            let twoMonthsAgo = today.adding(months: -2)
            _ = try await service.endPosition(old.id, EndPositionInput(endDate: twoMonthsAgo.description))
            let p = try await service.createPerson(PersonInput(agencyId: a.id!, name: "谭静", title: "办公室副主任", officePhone: a.phone))
            _ = try await service.appoint(agency: a.id!, AppointInput(personId: p.id!, kind: "assistant", title: "办公室副主任",
                                                                       startDate: twoMonthsAgo.adding(days: 1).description))
        }
    }

    /// Creates `admin` when it does not exist; returns the password to print when one was generated.
    static func ensureAdmin(app: Application, password: String, now: Date) async throws -> Bool {
        guard try await UserModel.query(on: app.db).filter(\.$username == "admin").first() == nil else { return false }
        let user = UserModel(username: "admin", displayName: "系统管理员", passwordHash: try await app.password.async.hash(password),
                             role: .admin, agencyID: nil)
        try await app.db.transaction { db in
            try await user.create(on: db)
            try await AuditLog.append(on: db, .system("bootstrap", now: now), action: "user.create", entityType: "user",
                                      entityID: user.id!.uuidString, before: Optional<UserDTO>.none, after: UserDTO(user))
        }
        return true
    }
}
