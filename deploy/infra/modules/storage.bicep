// Two accounts: the lake (ADLS Gen2, Microsoft Entra only) and the Functions host's own account, which holds no
// business data and is the one place shared keys stay on (docs/identities.md, "No keys").
param hostStorageAccountName string
param lakeStorageAccountName string
param location string
param tags object
@description('Containers of the lake account (order log and claim checks; idempotency records).')
param containerNames array

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

output lakeBlobEndpoint string = lake.properties.primaryEndpoints.blob
