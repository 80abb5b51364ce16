// Every role assignment of deploy/infra/access.json, each on exactly the scope it names: one topic, subscription,
// queue, container or secret, the Log Analytics workspace or the Logic App. A grant kind without a declaration here
// deploys nothing, and a test fails on it.
@description('access.json "grants".')
param grants array
@description('access.json "roles": role name -> built-in role definition id.')
param roleIds object
@description('Principal key (identity name or parameter name) -> { id, type }.')
param principals object
param serviceBusNamespaceName string
param lakeStorageAccountName string
param keyVaultName string
param workspaceName string
param logicAppName string

var topicGrants = filter(grants, g => g.scope == 'topic')
var subscriptionGrants = filter(grants, g => g.scope == 'subscription')
var queueGrants = filter(grants, g => g.scope == 'queue')
var containerGrants = filter(grants, g => g.scope == 'container')
var secretGrants = filter(grants, g => g.scope == 'secret')
var workspaceGrants = filter(grants, g => g.scope == 'workspace')
var logicAppGrants = filter(grants, g => g.scope == 'logicApp')

resource topics 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' existing = [for g in topicGrants: {
  name: '${serviceBusNamespaceName}/${g.name}'
}]

resource topicAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (g, i) in topicGrants: {
  name: guid(topics[i].id, g.principal, roleIds[g.role])
  scope: topics[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds[g.role])
    principalId: principals[g.principal].id
    principalType: principals[g.principal].type
    description: g.why
  }
}]

resource subscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' existing = [for g in subscriptionGrants: {
  name: '${serviceBusNamespaceName}/${g.name}'
}]

resource subscriptionAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (g, i) in subscriptionGrants: {
  name: guid(subscriptions[i].id, g.principal, roleIds[g.role])
  scope: subscriptions[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds[g.role])
    principalId: principals[g.principal].id
    principalType: principals[g.principal].type
    description: g.why
  }
}]

resource queues 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' existing = [for g in queueGrants: {
  name: '${serviceBusNamespaceName}/${g.name}'
}]

resource queueAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (g, i) in queueGrants: {
  name: guid(queues[i].id, g.principal, roleIds[g.role])
  scope: queues[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds[g.role])
    principalId: principals[g.principal].id
    principalType: principals[g.principal].type
    description: g.why
  }
}]

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for g in containerGrants: {
  name: '${lakeStorageAccountName}/default/${g.name}'
}]

resource containerAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (g, i) in containerGrants: {
  name: guid(containers[i].id, g.principal, roleIds[g.role])
  scope: containers[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds[g.role])
    principalId: principals[g.principal].id
    principalType: principals[g.principal].type
    description: g.why
  }
}]

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = [for g in secretGrants: {
  name: '${keyVaultName}/${g.name}'
}]

resource secretAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (g, i) in secretGrants: {
  name: guid(secrets[i].id, g.principal, roleIds[g.role])
  scope: secrets[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds[g.role])
    principalId: principals[g.principal].id
    principalType: principals[g.principal].type
    description: g.why
  }
}]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource workspaceAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for g in workspaceGrants: {
  name: guid(workspace.id, g.principal, roleIds[g.role])
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds[g.role])
    principalId: principals[g.principal].id
    principalType: principals[g.principal].type
    description: g.why
  }
}]

resource logicApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: logicAppName
}

resource logicAppAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for g in logicAppGrants: {
  name: guid(logicApp.id, g.principal, roleIds[g.role])
  scope: logicApp
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds[g.role])
    principalId: principals[g.principal].id
    principalType: principals[g.principal].type
    description: g.why
  }
}]
