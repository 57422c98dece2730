import Core
import Fluent
import Vapor

/// `/api/v1/incidents`: emergency incidents and their hour clocks (SPEC §5).
extension APIController {
    func bootIncidents(_ authed: RoutesBuilder) {
        let i = authed.grouped("incidents")
        i.get { req async throws -> [IncidentDTO] in
            let s = try await req.incidentService()
            var out: [IncidentDTO] = []
            for m in try await s.list(includeClosed: req.query[Bool.self, at: "all"] ?? false) { out.append(try await s.detail(m)) }
            return IncidentService.boardOrder(out)
        }
        i.post { req async throws -> Response in
            let s = try await req.incidentService()
            let m = try await s.register(try req.content.decode(IncidentInput.self))
            return try await s.detail(m).encodeResponse(status: .created, for: req)
        }
        i.get(":incidentID") { req async throws -> IncidentDTO in
            let s = try await req.incidentService()
            return try await s.detail(try await s.incident(req.parameters.get("incidentID", as: UUID.self)))
        }
        i.patch(":incidentID") { req in try await incident(req) { s, id in try await s.update(id, req.content.decode(IncidentInput.self)) } }
        i.post(":incidentID", "releaser") { req in try await incident(req) { s, id in try await s.reassignReleaser(id, req.content.decode(ReleaserInput.self)) } }
        i.post(":incidentID", "releases") { req in try await incident(req) { s, id in try await s.addRelease(id, req.content.decode(IncidentReleaseInput.self)) } }
        i.post(":incidentID", "warnings") { req in try await incident(req) { s, id in try await s.issueWarning(id, req.content.decode(WarningInput.self)) } }
        i.patch(":incidentID", "warnings", ":warningID") { req in
            try await incident(req) { s, id in
                try await s.updateWarning(id, warning: req.parameters.get("warningID", as: UUID.self), req.content.decode(WarningInput.self), lift: false)
            }
        }
        i.post(":incidentID", "warnings", ":warningID", "lift") { req in
            try await incident(req) { s, id in
                try await s.updateWarning(id, warning: req.parameters.get("warningID", as: UUID.self), WarningInput(), lift: true)
            }
        }
        i.post(":incidentID", "close") { req in try await incident(req) { s, id in try await s.close(id, req.content.decode(ReasonInput.self)) } }
        i.post(":incidentID", "conference") { req async throws -> Response in
            let s = try await req.incidentService()
            let a = try await s.createConference(req.parameters.get("incidentID", as: UUID.self), try req.content.decode(EmergencyConferenceInput.self))
            return try await s.releases.detail(a).encodeResponse(status: .created, for: req)
        }
    }

    private func incident(_ req: Request, _ command: (IncidentService, UUID?) async throws -> IncidentModel) async throws -> IncidentDTO {
        let s = try await req.incidentService()
        return try await s.detail(try await command(s, req.parameters.get("incidentID", as: UUID.self)))
    }
}
