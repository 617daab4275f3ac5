import { graphql } from '../gql';

/** A visit with everything its page shows: read online, kept on the device for offline use (src/offline). */
export const Detail = graphql(`
  query InspectionDetail($id: ID!) {
    inspection(id: $id) {
      id
      status
      version
      viewerRecordableItemIds
      viewerCanSchedule
      viewerCanStart
      viewerCanSubmit
      viewerCanFinalise
      viewerCanReturn
      viewerCanAmendTeam
      viewerTakesPart
      viewerCanAddEvidence
      viewerCanSign
      recordUrl
      recordSha256
      signatures {
        id
        kind
        signerName
      }
      attachments {
        id
        findingId
        sha256
        fileName
        mediaType
        size
        takenAt
        latitude
        longitude
        reason
        url
        thumbnailUrl
        uploadedBy
        uploadedAt
        viewerCanRemove
      }
      returnComment
      returnedAt
      scheduledAt
      completedOn
      publicationDueOn
      publication {
        id
        publishedOn
        status
        currentVersion
        correctedOn
      }
      leadDepartment {
        id
        name
      }
      enterprise {
        id
        uscc
        name
        address
        legalRepresentative
      }
      officers {
        id
        name
        certificateNo
        department {
          id
          shortName
        }
      }
      items {
        id
        code
        category
        item
        legalBasis
        method
        department {
          id
          shortName
        }
      }
      findings {
        id
        version
        results
        problemKinds
        followUp
        followUpDeadline
        method
        notes
        recordedAt
        viewerCanRefer
        referrals {
          id
          status
          toDepartment {
            id
            shortName
          }
        }
        item {
          id
        }
        officer {
          id
          name
        }
      }
    }
  }
`);

/** One item's result; `input.idempotencyKey` makes a replay from the offline queue count once. */
export const Record = graphql(`
  mutation RecordFinding($inspectionId: ID!, $itemId: ID!, $input: FindingInput!) {
    recordFinding(inspectionId: $inspectionId, itemId: $itemId, input: $input) {
      id
      version
    }
  }
`);
