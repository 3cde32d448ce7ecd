/// A NENA Emergency Incident Data Object (NENA-STA-021.1b): the part of it callscript fills.
///
/// Property names are the schema's; `id` is written as `$id` and references as `{"$ref": …}`.
/// Optional members that are nil are left out of the JSON. Every component carries the common
/// prologue: its id, when it last changed, and the agency and agent that changed it.
/// ``EIDOEncoder`` builds one from a ``RecordSnapshot`` and writes it as deterministic JSON.
public struct EIDODocument: Sendable, Hashable, Codable {
  /// The incident tracking identifier (`urn:emergency:uid:incidentid:…`).
  public var id: String
  public var lastUpdateTimeStamp: String
  public var updatedByAgencyReference: EIDOReference
  public var updatedByAgentReference: EIDOReference?
  /// Always `1.0`.
  public var eidoVersion: String
  public var issuingElementIdentification: String
  public var incidentComponent: Incident?
  public var callComponent: [Call]?
  public var callbackComponent: [Callback]?
  public var agencyComponent: [Agency]
  public var agentComponent: [Agent]?
  public var notesComponent: [Note]?
  public var locationComponent: [Location]?
  public var personComponent: [Person]?
  public var vehicleComponent: [Vehicle]?

  enum CodingKeys: String, CodingKey {
    case id = "$id"
    case lastUpdateTimeStamp, updatedByAgencyReference, updatedByAgentReference
    case eidoVersion, issuingElementIdentification, incidentComponent, callComponent
    case callbackComponent, agencyComponent, agentComponent, notesComponent, locationComponent
    case personComponent, vehicleComponent
  }

  /// General information about the incident: its type, status and priority.
  public struct Incident: Sendable, Hashable, Codable {
    public var id: String
    public var lastUpdateTimeStamp: String
    public var updatedByAgencyReference: EIDOReference
    public var updatedByAgentReference: EIDOReference?
    /// A code of the EIDO-IncidentType-Common registry (APCO ANS 2.103.2), such as `ACTSHOOT`.
    public var incidentTypeCommonRegistryText: String
    public var incidentTypeInternalCode: String?
    public var incidentTypeInternalText: String?
    public var incidentStatusCommonRegistryText: [String]?
    public var incidentStatusInternalText: [String]?
    public var incidentPriorityInternalText: String?
    /// 0 (lowest) to 10 (highest).
    public var incidentCommonPriorityNumber: Int?
    public var internalIncidentId: String?
    public var agentReference: [EIDOReference]?
    public var locationReference: [EIDOReference]?
    public var personReference: [EIDOReference]?
    public var vehicleReference: [EIDOReference]?
    public var notesReference: [EIDOReference]?

    enum CodingKeys: String, CodingKey {
      case id = "$id"
      case lastUpdateTimeStamp, updatedByAgencyReference, updatedByAgentReference
      case incidentTypeCommonRegistryText, incidentTypeInternalCode, incidentTypeInternalText
      case incidentStatusCommonRegistryText, incidentStatusInternalText
      case incidentPriorityInternalText, incidentCommonPriorityNumber, internalIncidentId
      case agentReference, locationReference, personReference, vehicleReference, notesReference
    }
  }

  /// The emergency call the record comes from.
  public struct Call: Sendable, Hashable, Codable {
    /// The call identifier (`urn:emergency:uid:callid:…`).
    public var id: String
    public var lastUpdateTimeStamp: String
    public var updatedByAgencyReference: EIDOReference
    public var updatedByAgentReference: EIDOReference?
    /// `emergency`.
    public var standardPrimaryCallType: String
    public var localCallType: String?
    /// `incoming`.
    public var direction: String
    public var callStartTimestamp: String
    public var answerDate: String?
    /// `callAnswered` while the caller is on the line, else `callEnd`.
    public var callStateRegistryText: String
    public var callBackReference: EIDOReference?
    public var agentReference: [EIDOReference]?
    public var locationReference: [EIDOReference]?
    public var personReference: [EIDOReference]?
    public var notesReference: [EIDOReference]?

    enum CodingKeys: String, CodingKey {
      case id = "$id"
      case lastUpdateTimeStamp, updatedByAgencyReference, updatedByAgentReference
      case standardPrimaryCallType, localCallType, direction, callStartTimestamp, answerDate
      case callStateRegistryText, callBackReference, agentReference, locationReference
      case personReference, notesReference
    }
  }

  /// How to reach the caller again.
  public struct Callback: Sendable, Hashable, Codable {
    public var id: String
    public var lastUpdateTimeStamp: String
    public var updatedByAgencyReference: EIDOReference
    public var updatedByAgentReference: EIDOReference?
    public var updatedCbn: UpdatedCallbackNumber?

    enum CodingKeys: String, CodingKey {
      case id = "$id"
      case lastUpdateTimeStamp, updatedByAgencyReference, updatedByAgentReference, updatedCbn
    }
  }

  /// A number the caller gave to be called back on.
  public struct UpdatedCallbackNumber: Sendable, Hashable, Codable {
    public var id: String
    public var lastUpdateTimeStamp: String
    public var updatedByAgencyReference: EIDOReference
    public var updatedByAgentReference: EIDOReference?
    /// A `tel:` URI.
    public var updatedCbnIdentifierUri: String
    public var updatedCbnCallerDescription: String?

    enum CodingKeys: String, CodingKey {
      case id = "$id"
      case lastUpdateTimeStamp, updatedByAgencyReference, updatedByAgentReference
      case updatedCbnIdentifierUri, updatedCbnCallerDescription
    }
  }

  /// The agency taking the call.
  public struct Agency: Sendable, Hashable, Codable {
    /// The agency identifier.
    public var id: String
    public var lastUpdateTimeStamp: String
    public var updatedByAgencyReference: EIDOReference
    public var updatedByAgentReference: EIDOReference?
    public var agencyRoleDescriptionRegistryText: [String]
    public var agencyType: [String]
    /// The note saying the records are not from a live center, for the placeholder agency.
    public var notesReference: [EIDOReference]?

    enum CodingKeys: String, CodingKey {
      case id = "$id"
      case lastUpdateTimeStamp, updatedByAgencyReference, updatedByAgentReference
      case agencyRoleDescriptionRegistryText, agencyType, notesReference
    }
  }

  /// The call-taker.
  public struct Agent: Sendable, Hashable, Codable {
    /// The agent identifier.
    public var id: String
    public var lastUpdateTimeStamp: String
    public var updatedByAgencyReference: EIDOReference
    public var updatedByAgentReference: EIDOReference?
    /// The workstation position, when the agent id names the call-taker.
    public var agentWorkstationPositionIdentification: String?
    public var agentRoleRegistryText: [String]
    public var agencyReference: EIDOReference

    enum CodingKeys: String, CodingKey {
      case id = "$id"
      case lastUpdateTimeStamp, updatedByAgencyReference, updatedByAgentReference
      case agentWorkstationPositionIdentification, agentRoleRegistryText, agencyReference
    }
  }

  /// A note: an HTML fragment.
  public struct Note: Sendable, Hashable, Codable {
    public var id: String
    public var lastUpdateTimeStamp: String
    public var updatedByAgencyReference: EIDOReference
    public var updatedByAgentReference: EIDOReference?
    public var notesActionComments: String
    public var agentReference: EIDOReference?

    enum CodingKeys: String, CodingKey {
      case id = "$id"
      case lastUpdateTimeStamp, updatedByAgencyReference, updatedByAgentReference
      case notesActionComments, agentReference
    }
  }

  /// A place: the incident, the caller, where the attacker was last seen, ….
  public struct Location: Sendable, Hashable, Codable {
    public var id: String
    public var lastUpdateTimeStamp: String
    public var updatedByAgencyReference: EIDOReference
    public var updatedByAgentReference: EIDOReference?
    /// A value of the EIDO-LocationType registry: `CurrentIncident`, `Caller`, `Other`.
    public var locationTypeDescriptionRegistryText: String
    /// A PIDF-LO document with a civic address: what was recognised in the words.
    public var locationByValue: String?
    /// The location in the words it was given.
    public var locationDescriptionText: String?
    /// The other street of an intersection, as a PIDF-LO.
    public var intersectingStreetByValue: [String]?
    public var notesReference: [EIDOReference]?

    enum CodingKeys: String, CodingKey {
      case id = "$id"
      case lastUpdateTimeStamp, updatedByAgencyReference, updatedByAgentReference
      case locationTypeDescriptionRegistryText, locationByValue, locationDescriptionText
      case intersectingStreetByValue, notesReference
    }
  }

  /// A person: the caller, an attacker, the people hurt, an officer on scene.
  public struct Person: Sendable, Hashable, Codable {
    public var id: String
    public var lastUpdateTimeStamp: String
    public var updatedByAgencyReference: EIDOReference
    public var updatedByAgentReference: EIDOReference?
    /// Values of the EIDO-PersonRole registry: `Caller`, `Suspect`, `Victim`, ….
    public var personIncidentRoleRegistryText: [String]
    public var callIdentifier: [String]?
    public var ncPersonComponent: PersonDetails?
    public var callBackReference: EIDOReference?
    public var locationReference: [EIDOReference]?
    public var notesReference: [EIDOReference]?

    enum CodingKeys: String, CodingKey {
      case id = "$id"
      case lastUpdateTimeStamp, updatedByAgencyReference, updatedByAgentReference
      case personIncidentRoleRegistryText, callIdentifier, ncPersonComponent, callBackReference
      case locationReference, notesReference
    }
  }

  /// The NIEM Core person details callscript fills.
  public struct PersonDetails: Sendable, Hashable, Codable {
    public var description: [EIDOText]?
    public var injury: [Injury]?
  }

  /// A NIEM Core injury, described in words.
  public struct Injury: Sendable, Hashable, Codable {
    public var description: [EIDOText]
  }

  /// A vehicle: the attacker's.
  public struct Vehicle: Sendable, Hashable, Codable {
    public var id: String
    public var lastUpdateTimeStamp: String
    public var updatedByAgencyReference: EIDOReference
    public var updatedByAgentReference: EIDOReference?
    /// Values of the EIDO-VehicleRelationshipType registry: `SuspectVehicle`.
    public var vehicleRelationshipType: [String]
    public var vehicleRelationshipTimeStamp: String
    public var ncVehicleComponent: VehicleDetails?
    /// The note linking it to the attacker who uses it, and the direction of travel.
    public var notesReference: [EIDOReference]?

    enum CodingKeys: String, CodingKey {
      case id = "$id"
      case lastUpdateTimeStamp, updatedByAgencyReference, updatedByAgentReference
      case vehicleRelationshipType, vehicleRelationshipTimeStamp, ncVehicleComponent
      case notesReference
    }
  }

  /// The NIEM Core vehicle details callscript fills.
  public struct VehicleDetails: Sendable, Hashable, Codable {
    public var description: [EIDOText]
  }
}

/// A reference to a component of the same document, written `{"$ref": id}`.
public struct EIDOReference: Sendable, Hashable, Codable {
  public var ref: String

  public init(_ ref: String) {
    self.ref = ref
  }

  enum CodingKeys: String, CodingKey {
    case ref = "$ref"
  }
}

/// A NIEM text value, written `{"value": text}`.
public struct EIDOText: Sendable, Hashable, Codable {
  public var value: String

  public init(_ value: String) {
    self.value = value
  }
}
