// Two accounts: the lake (ADLS Gen2, Microsoft Entra only) and the Functions host's own account, which holds no
// business data and is the one place shared keys stay on (docs/identities.md, "No keys").
param hostStorageAccountName string
param lakeStorageAccountName string
param location string
param tags object
@description('Containers of the lake account (order log and claim checks; idempotency records).')
param containerNames array
@description('Name prefixes (container/consumer) of the idempotency records kept per message: each subscriber\'s and its alert workflow\'s (<subscription>-alerts). Never the SAP order registry (idempotency/sap-orders/), which lives as long as the order.')
param expiringRecordPrefixes array
@description('Days after its last change a record under expiringRecordPrefixes is deleted (longer than a run can be resubmitted).')
param idempotencyRetentionDays int

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: hostStorageAccountName
  location: location
  tags: union(tags, {
    purpose: 'Logic App host storage only (AzureWebJobsStorage, content share); no business data'
  })
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    // The Logic Apps runtime's host storage: see docs/identities.md "No keys" for why this one account keeps keys.
    allowSharedKeyAccess: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    isHnsEnabled: false
  }
}

resource lake 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: lakeStorageAccountName
  location: location
  tags: tags
  sku: {
    name: 'Standard_ZRS'
  }
  kind: 'StorageV2'
  properties: {
    isHnsEnabled: true
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: lake
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in containerNames: {
  parent: blobService
  name: name
  properties: {
    publicAccess: 'None'
  }
}]

// Idempotency records kept per message (one per message and subscriber) are only needed while a delivery, a redelivery
// or a resubmitted run of that message can still come; without a rule they would accumulate for ever. Lifecycle
// management deletes each one once it is older than that, and nothing else: not the SAP order registry in the same
// container (an order's sales document, needed by its updates and cancellation whenever they come), not the order log
// in the lake (the business's record). Learn, "Lifecycle management policy structure" (filters: prefixMatch starts with the container
// name; actions: baseBlob delete daysAfterModificationGreaterThan),
// https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-policy-structure
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: lake
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-old-idempotency-records'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: expiringRecordPrefixes
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: idempotencyRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    containers
  ]
}

output lakeBlobEndpoint string = lake.properties.primaryEndpoints.blob
