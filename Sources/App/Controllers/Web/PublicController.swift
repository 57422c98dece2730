import Core
import Fluent
import Vapor

/// `/`: the public 新闻发布 column — until the portal issue, the jurisdictions and their
/// published spokesperson lists. Shows published editions only.
struct PublicController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("roster", ":editionID", use: edition)
        routes.get("healthz", use: health)
    }

    struct HomeView: Encodable {
        var jurisdictions: [Group]
        struct Group: Encodable {
            var id: String
            var name: String
            var editions: [EditionSummaryDTO]
        }
    }

    func home(req: Request) async throws -> View {
        let editions = try await RosterEditionModel.query(on: req.db).sort(\.$year, .descending).sort(\.$number, .descending).all()
        let groups = try await JurisdictionModel.query(on: req.db).sort(\.$sortOrder).all().map { j in
            HomeView.Group(id: j.id!, name: j.name, editions: editions.filter { $0.jurisdictionID == j.id }.map(RosterService.editionSummary))
        }
        return try await req.view.render("public-home", HomeView(jurisdictions: groups))
    }

    struct EditionView: Encodable {
        var edition: EditionDTO
        var jurisdictionName: String
        var others: [EditionSummaryDTO]
    }

    func edition(req: Request) async throws -> View {
        guard let id = req.parameters.get("editionID", as: UUID.self), let e = try await RosterEditionModel.find(id, on: req.db) else {
            throw DomainError.notFound("名单")
        }
        let j = try await JurisdictionModel.find(e.jurisdictionID, on: req.db)
        let others = try await RosterEditionModel.query(on: req.db).filter(\.$jurisdictionID == e.jurisdictionID)
            .sort(\.$year, .descending).sort(\.$number, .descending).all().filter { $0.id != e.id }
        return try await req.view.render("public-edition", EditionView(edition: RosterService.editionDTO(e), jurisdictionName: j?.name ?? "",
                                                                       others: others.map(RosterService.editionSummary)))
    }

    /// 200 when the database answers, 503 otherwise.
    func health(req: Request) async throws -> Response {
        do {
            _ = try await JurisdictionModel.query(on: req.db).count()
            return try await HealthDTO(status: "ok", database: "ok").encodeResponse(for: req)
        } catch {
            req.logger.error("health check: database unavailable: \(error)")
            return try await HealthDTO(status: "unavailable", database: "error").encodeResponse(status: .serviceUnavailable, for: req)
        }
    }
}
