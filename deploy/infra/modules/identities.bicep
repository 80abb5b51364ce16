// One user-assigned identity per role (deploy/infra/access.json "identities"); all are attached to the Logic App.
@description('Identity names from access.json.')
param names array
param location string
param tags object

resource identities 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = [for name in names: {
  name: name
  location: location
  tags: tags
}]

@description('Name, principal (object) id and client id of each identity.')
output identities array = [for (name, i) in names: {
  name: name
  principalId: identities[i].properties.principalId
  clientId: identities[i].properties.clientId
  id: identities[i].id
}]
