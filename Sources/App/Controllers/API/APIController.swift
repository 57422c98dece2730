import Core
import Fluent
import Vapor

/// `/api/v1`: the JSON API, described by `openapi.yaml` (a test keeps both in step).
struct APIController: RouteCollection {
    /// The largest upload accepted, from the settings.
    var maxUpload: Int

    func boot(routes: RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(BearerAuthMiddleware())
        api.get("openapi.yaml", use: openAPI)
        api.post("auth", "login", use: login)

        let authed = api.grouped(RequireLoginMiddleware(web: false))
        authed.post("auth", "logout", use: logout)
        authed.get("me", use: me)
        authed.get("tokens", use: listTokens)
        authed.post("tokens", use: createToken)
        authed.delete("tokens", ":tokenID", use: revokeToken)

        authed.get("jurisdictions", use: jurisdictions)
        authed.get("jurisdictions", ":jurisdictionID", "roster.csv", use: exportRoster)
        authed.post("jurisdictions", ":jurisdictionID", "roster.csv", use: importRoster)

        authed.get("agencies", use: agencies)
        authed.post("agencies", use: createAgency)
        authed.get("agencies", ":agencyID", use: agency)
        authed.get("agencies", ":agencyID", "roster", use: roster)
        authed.get("agencies", ":agencyID", "people", use: people)
        authed.post("agencies", ":agencyID", "positions", use: appoint)

        authed.post("people", use: createPerson)
        authed.get("people", ":personID", use: person)
        authed.post("positions", ":positionID", "end", use: endPosition)

        authed.get("filings", use: filings)
        authed.post("filings", use: submitFiling)
        authed.get("filings", ":filingID", use: filing)
        authed.post("filings", ":filingID", "accept", use: acceptFiling)
        authed.post("filings", ":filingID", "return", use: returnFiling)

        // The published lists are public: anyone may read them without logging in.
        api.get("editions", use: editions)
        api.get("editions", ":editionID", use: edition)
        authed.post("editions", use: publishEdition)

        authed.get("users", use: users)
        authed.post("users", use: createUser)
        authed.get("users", ":userID", use: user)
        authed.patch("users", ":userID", use: updateUser)

        authed.get("audit", use: audit)
        bootCalendar(authed)
        bootReleases(authed, maxUpload: maxUpload)
        bootNotifications(authed)
        bootIncidents(authed)
    }

    func openAPI(req: Request) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Resources") else {
            throw Abort(.notFound)
        }
        let res = Response(status: .ok, body: .init(data: try Data(contentsOf: url)))
        res.headers.contentType = HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
        return res
    }

    // MARK: auth

    func login(req: Request) async throws -> LoginResultDTO {
        let input = try req.content.decode(LoginInput.self)
        let auth = AuthService(req: req)
        let user = try await auth.login(username: input.username, password: input.password)
        let (token, model) = try await auth.issueToken(for: user, name: "登录令牌", kind: "login", lifetime: 12 * 3600)
        return LoginResultDTO(token: token, expiresAt: model.expiresAt!, user: UserDTO(user))
    }

    func logout(req: Request) async throws -> HTTPStatus {
        if let bearer = req.headers.bearerAuthorization?.token,
           let t = try await APITokenModel.query(on: req.db).filter(\.$tokenHash == Tokens.hash(bearer)).first(), t.kind == "login" {
            t.revokedAt = req.now
            try await t.update(on: req.db)
        }
        return .noContent
    }

    func me(req: Request) async throws -> UserDTO { UserDTO(try req.requirePrincipal().user) }

    func listTokens(req: Request) async throws -> [APITokenDTO] {
        let p = try req.requirePrincipal()
        return try await APITokenModel.query(on: req.db).filter(\.$userID == p.user.id!).filter(\.$kind == "integration")
            .sort(\.$createdAt, .descending).all().map { APITokenDTO($0) }
    }

    func createToken(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        let input = try req.content.decode(CreateTokenInput.self)
        var v = Validator()
        let name = v.text(input.name, field: "name", label: "令牌名称", max: 100)
        if let d = input.expiresInDays, !(1...3650).contains(d) { v.add("expiresInDays", "有效天数应在1至3650之间") }
        try v.check()
        let (token, model) = try await AuthService(req: req).issueToken(
            for: p.user, name: name!, kind: "integration", lifetime: input.expiresInDays.map { Double($0) * 86400 })
        return try await APITokenDTO(model, token: token).encodeResponse(status: .created, for: req)
    }

    func revokeToken(req: Request) async throws -> HTTPStatus {
        let p = try req.requirePrincipal()
        guard let id = req.parameters.get("tokenID", as: UUID.self),
              let t = try await APITokenModel.find(id, on: req.db),
              t.userID == p.user.id || p.actor.role == .admin else { throw DomainError.notFound("令牌") }
        guard t.revokedAt == nil else { return .noContent }
        t.revokedAt = req.now
        try await req.db.transaction { tx in
            try await t.update(on: tx)
            try await AuditLog.append(on: tx, req.auditContext, action: "token.revoke", entityType: "api_token",
                                      entityID: t.id!.uuidString, before: Optional<String>.none, after: ["name": t.name])
        }
        return .noContent
    }

    // MARK: agencies and roster

    func jurisdictions(req: Request) async throws -> [JurisdictionDTO] {
        let service = try await req.roster()
        return try await service.jurisdictions().map { j in
            JurisdictionDTO(id: j.id!, name: j.name, profileId: j.profileID,
                            newsOfficeName: req.application.profiles[j.profileID]?.roster.newsOfficeName.value ?? "新闻办")
        }
    }

    func exportRoster(req: Request) async throws -> Response {
        try await req.roster().exportResponse(jurisdiction: req.parameters.require("jurisdictionID"))
    }

    func importRoster(req: Request) async throws -> ImportResultDTO {
        let id = try req.parameters.require("jurisdictionID")
        guard let buffer = req.body.data, let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) else {
            throw DomainError(.badRequest, code: "csv_empty", message: "请求体应为 UTF-8 编码的 CSV 文本。")
        }
        return try await req.roster().importCSV(text, jurisdiction: id)
    }

    func agencies(req: Request) async throws -> [AgencyDTO] {
        let j = req.query[String.self, at: "jurisdictionId"]
        return try await req.roster().agencies(jurisdiction: j).map(AgencyDTO.init)
    }

    func createAgency(req: Request) async throws -> Response {
        let input = try req.content.decode(CreateAgencyInput.self)
        return try await AgencyDTO(req.roster().createAgency(input)).encodeResponse(status: .created, for: req)
    }

    func agency(req: Request) async throws -> AgencyDTO {
        AgencyDTO(try await req.roster().agency(req.parameters.get("agencyID", as: UUID.self)))
    }

    func roster(req: Request) async throws -> RosterDTO {
        guard let id = req.parameters.get("agencyID", as: UUID.self) else { throw DomainError.notFound("单位") }
        return try await req.roster().roster(agency: id)
    }

    func people(req: Request) async throws -> [PersonDTO] {
        guard let id = req.parameters.get("agencyID", as: UUID.self) else { throw DomainError.notFound("单位") }
        return try await req.roster().people(agency: id).map(PersonDTO.init)
    }

    func appoint(req: Request) async throws -> Response {
        guard let id = req.parameters.get("agencyID", as: UUID.self) else { throw DomainError.notFound("单位") }
        let input = try req.content.decode(AppointInput.self)
        let service = try await req.roster()
        let model = try await service.appoint(agency: id, input)
        let name = try await service.personNames([model.personID])[model.personID] ?? ""
        return try await service.positionDTO(model, personName: name).encodeResponse(status: .created, for: req)
    }

    func createPerson(req: Request) async throws -> Response {
        let input = try req.content.decode(PersonInput.self)
        return try await PersonDTO(req.roster().createPerson(input)).encodeResponse(status: .created, for: req)
    }

    func person(req: Request) async throws -> PersonDTO {
        PersonDTO(try await req.roster().person(req.parameters.get("personID", as: UUID.self)))
    }

    func endPosition(req: Request) async throws -> PositionDTO {
        let input = try req.content.decode(EndPositionInput.self)
        let service = try await req.roster()
        let model = try await service.endPosition(req.parameters.get("positionID", as: UUID.self), input)
        let name = try await service.personNames([model.personID])[model.personID] ?? ""
        return service.positionDTO(model, personName: name)
    }

    // MARK: filings

    func filings(req: Request) async throws -> [FilingDTO] {
        try await req.roster().filings(state: req.query[String.self, at: "state"])
    }

    func submitFiling(req: Request) async throws -> Response {
        let input = try req.content.decode(SubmitFilingInput.self)
        let service = try await req.roster()
        let f = try await service.submitFiling(input)
        let a = try await service.agency(f.agencyID)
        return try await service.filingDTO(f, agencyName: a.name).encodeResponse(status: .created, for: req)
    }

    func filing(req: Request) async throws -> FilingDTO {
        let service = try await req.roster()
        let f = try await service.filing(req.parameters.get("filingID", as: UUID.self))
        return service.filingDTO(f, agencyName: try await service.agency(f.agencyID).name)
    }

    func acceptFiling(req: Request) async throws -> FilingDTO {
        let service = try await req.roster()
        let f = try await service.acceptFiling(req.parameters.get("filingID", as: UUID.self))
        return service.filingDTO(f, agencyName: try await service.agency(f.agencyID).name)
    }

    func returnFiling(req: Request) async throws -> FilingDTO {
        let input = try req.content.decode(ReturnFilingInput.self)
        let service = try await req.roster()
        let f = try await service.returnFiling(req.parameters.get("filingID", as: UUID.self), input)
        return service.filingDTO(f, agencyName: try await service.agency(f.agencyID).name)
    }

    // MARK: editions

    func editions(req: Request) async throws -> [EditionSummaryDTO] {
        var q = RosterEditionModel.query(on: req.db).sort(\.$year, .descending).sort(\.$number, .descending)
        if let j = req.query[String.self, at: "jurisdictionId"] { q = q.filter(\.$jurisdictionID == j) }
        return try await q.all().map(RosterService.editionSummary)
    }

    func edition(req: Request) async throws -> EditionDTO {
        guard let id = req.parameters.get("editionID", as: UUID.self), let e = try await RosterEditionModel.find(id, on: req.db) else {
            throw DomainError.notFound("名单")
        }
        return RosterService.editionDTO(e)
    }

    func publishEdition(req: Request) async throws -> Response {
        let input = try req.content.decode(PublishEditionInput.self)
        let e = try await req.roster().publishEdition(input)
        return try await RosterService.editionDTO(e).encodeResponse(status: .created, for: req)
    }

    // MARK: users and audit

    func requireAdmin(_ req: Request) async throws {
        guard try await req.access().canManageUsers else { try await req.deny("users") }
    }

    func users(req: Request) async throws -> [UserDTO] {
        try await requireAdmin(req)
        return try await UserModel.query(on: req.db).sort(\.$username).all().map(UserDTO.init)
    }

    func createUser(req: Request) async throws -> Response {
        try await requireAdmin(req)
        let input = try req.content.decode(CreateUserInput.self)
        let user = try await UserAdmin.create(input, db: req.db, hasher: req.password.async, audit: req.auditContext)
        return try await UserDTO(user).encodeResponse(status: .created, for: req)
    }

    func user(req: Request) async throws -> UserDTO {
        let p = try req.requirePrincipal()
        guard let id = req.parameters.get("userID", as: UUID.self), p.actor.role == .admin || id == p.user.id,
              let u = try await UserModel.find(id, on: req.db) else { throw DomainError.notFound("账号") }
        return UserDTO(u)
    }

    func updateUser(req: Request) async throws -> UserDTO {
        try await requireAdmin(req)
        let input = try req.content.decode(UpdateUserInput.self)
        guard let id = req.parameters.get("userID", as: UUID.self), let u = try await UserModel.find(id, on: req.db) else {
            throw DomainError.notFound("账号")
        }
        if let pw = input.password { try Credentials.checkPassword(pw) }
        var v = Validator()
        let offices = input.offices.map { UserAdmin.parseOffices($0, role: u.roleValue, validator: &v) }
        try v.check()
        let before = UserDTO(u)
        if let offices { u.offices = offices }
        if let active = input.active { u.active = active }
        if let pw = input.password {
            u.passwordHash = try await req.password.async.hash(pw)
            u.failedLogins = 0
            u.lockedUntil = nil
        }
        try await req.db.transaction { tx in
            try await u.update(on: tx)
            try await AuditLog.append(on: tx, req.auditContext, action: "user.update", entityType: "user",
                                      entityID: u.id!.uuidString, before: before, after: UserDTO(u))
        }
        return UserDTO(u)
    }

    func audit(req: Request) async throws -> [AuditEventDTO] {
        guard try await req.access().canReadAudit else { try await req.deny("audit") }
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 1000)
        var q = AuditEventModel.query(on: req.db).sort(\.$id, .descending).limit(limit)
        if let before = req.query[Int.self, at: "before"] { q = q.filter(\.$id < before) }
        return try await q.all().map(AuditEventDTO.init)
    }
}
