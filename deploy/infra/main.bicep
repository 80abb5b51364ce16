// Order integration in Azure: Service Bus topology (deploy/servicebus/Config.json), Logic App Standard with one
// user-assigned identity per role and stateful connector mode on a virtual network, ADLS Gen2 lake, Key Vault (RBAC)
// for the SAP logon, monitoring, access from deploy/infra/access.json, and Azure Policy. docs/deployment.md deploys it.
metadata description = 'Order integration: Power Platform -> Service Bus topic -> Logic Apps Standard subscribers.'

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Short environment name used in resource names and as the environment tag.')
@maxLength(8)
param environmentName string = 'dev'

@description('Owner tag (a team or a person accountable for the resources).')
param owner string

@description('Cost centre tag.')
param costCentre string

@description('Regions resources may be created in (Allowed locations policy).')
param allowedLocations array = [
  location
]

@description('Standard: 256 KB messages, shared capacity. Premium for production volumes (dedicated messaging units, up to 100 MB messages over AMQP, private endpoints).')
@allowed([
  'Standard'
  'Premium'
])
param serviceBusSku string = 'Standard'

@description('Messaging units (Premium only).')
param serviceBusCapacity int = 1

@description('Stored as a Key Vault secret; the app reads it through a Key Vault reference.')
@secure()
param sapUserName string

@description('Stored as a Key Vault secret; the app reads it through a Key Vault reference.')
@secure()
param sapPassword string

@description('Non-secret SAP logon settings (connections.json "sap").')
param sapConnection object = {
  client: '100'
  applicationServerHost: 'sap.example.internal'
  applicationServerService: '3300'
  applicationServerSystemNumber: '00'
  language: 'EN'
}

@description('Twilio account id for the managed "twilio" connection.')
param twilioAccountSid string = ''

@description('Twilio access token; Twilio has no Microsoft Entra sign-in, so the managed connection holds it.')
@secure()
param twilioAuthToken string = ''

@description('This environment\'s business settings, merged over defaultWorkflowSettings (a key given here wins): the SMS sender number, the warehouse API\'s base URL, the Teams team and channel of the alerts, the SAP sales area. deploy/infra/example.parameters.json lists the ones every environment sets; the defaults of those are placeholders.')
param workflowSettings object = {}

// The app settings the workflows read through parameters.json, placeholders where each environment has its own value.
// Entity names and MaxDeliveryCount must match deploy/servicebus/Config.json, and the SMS templates may use only the
// placeholders SmsTemplates allows ({orderId}, {amount}, {currency}, {firstName}); tests check both.
var defaultWorkflowSettings = {
  Orders_TopicName: 'orders'
  Orders_SapFulfillmentSubscriptionName: 'sap-fulfillment'
  Orders_SapFulfillmentMaxDeliveryCount: '10'
  DeadLetters_SapFulfillmentQueueName: 'deadletters-sap-fulfillment'
  Orders_SmsNotificationSubscriptionName: 'sms-notification'
  Orders_SmsNotificationMaxDeliveryCount: '10'
  DeadLetters_SmsNotificationQueueName: 'deadletters-sms-notification'
  Orders_WarehouseInventorySubscriptionName: 'warehouse-inventory'
  Orders_WarehouseInventoryMaxDeliveryCount: '10'
  DeadLetters_WarehouseInventoryQueueName: 'deadletters-warehouse-inventory'
  Orders_LakeArchiveSubscriptionName: 'lake-archive'
  Orders_LakeArchiveMaxDeliveryCount: '10'
  DeadLetters_LakeArchiveQueueName: 'deadletters-lake-archive'
  Sap_SalesOrganization: '1000'
  Sap_DistributionChannel: '10'
  Sap_Division: '00'
  Sap_DocumentType: 'TA'
  Sap_DuplicateReferenceMessages: 'V4/115'
  Sms_FromNumber: '+15005550006'
  Sms_OrderCreatedTemplate: 'Hi {firstName}, we received your order {orderId} ({amount} {currency}).'
  Sms_OrderUpdatedTemplate: 'Hi {firstName}, your order {orderId} was updated.'
  Sms_OrderCancelledTemplate: 'Hi {firstName}, your order {orderId} was cancelled.'
  Warehouse_BaseUrl: 'https://warehouse.example.com'
  Teams_TeamId: '00000000-0000-0000-0000-000000000001'
  Teams_ChannelId: '19:alerts@thread.tacv2'
}
var appWorkflowSettings = union(defaultWorkflowSettings, workflowSettings)

@description('Publisher principal A (Power Platform): object id of its service principal.')
param publisherPrincipalObjectId string

@description('Publisher principal A (Power Platform): application (client) id. The only client application the intake accepts.')
param publisherClientId string

@description('Application (client) id of the app registration that represents the intake API (the token audience).')
param intakeApiClientId string

@description('Token issuer the intake accepts. Default: the tenant\'s v1 issuer, which app-only tokens for an app registration with the default access token version carry.')
param intakeTokenIssuer string = 'https://sts.windows.net/${subscription().tenantId}/'

@description('Application (client) id of this environment\'s release identity (the OIDC identity of its GitHub environment), let through to the intake besides the publisher so that the release can post its smoke order. Empty (the default): only the publisher may call the intake, and the release sets SMOKE_TEST=off.')
param smokeTestCallerClientId string = ''

@description('Object id of the same release identity (its service principal); set together with smokeTestCallerClientId.')
param smokeTestCallerObjectId string = ''

@description('Object id of the operators\' Microsoft Entra group.')
param operatorsGroupObjectId string

@description('Object id of the principal the Power BI service refreshes the dashboard with (Log Analytics Reader on the workspace).')
param powerBiRefreshPrincipalObjectId string

@description('Address space of the virtual network.')
param vnetAddressPrefix string = '10.60.0.0/16'

@description('Subnet of the Logic App (at least /24: Azure Functions Premium asks for 100 free addresses).')
param logicAppSubnetPrefix string = '10.60.0.0/24'

@description('Fixed number of Logic App instances (stateful connector mode: always ready = scale-out limit = plan maximum burst).')
@minValue(1)
@maxValue(20)
param logicAppInstanceCount int = 2

@minValue(7)
@maxValue(365)
param runRetentionInDays int = 30

@description('Days an idempotency record outlives the run history: a run can be resubmitted from the portal while its history is kept, and a dead letter resubmitted within this margin after that still finds its record (docs/operations.md).')
@minValue(7)
param idempotencyRetentionMarginDays int = 60

param logRetentionInDays int = 30

@description('Resource id of an action group that alerts notify; empty = alerts fire without notifications.')
param alertActionGroupId string = ''

param failureRateThresholdPercent int = 5

var suffix = uniqueString(resourceGroup().id)
var names = {
  serviceBusNamespace: 'sb-orders-${environmentName}-${suffix}'
  logicApp: 'la-orders-${environmentName}-${suffix}'
  plan: 'asp-orders-${environmentName}-${suffix}'
  hostStorageAccount: take('storhost${environmentName}${suffix}', 24)
  lakeStorageAccount: take('storlake${environmentName}${suffix}', 24)
  keyVault: take('kv-orders-${environmentName}-${suffix}', 24)
  workspace: 'log-orders-${environmentName}-${suffix}'
  appInsights: 'appi-orders-${environmentName}-${suffix}'
  vnet: 'vnet-orders-${environmentName}-${suffix}'
}
var lakeContainerName = 'orders-lake'
var idempotencyContainerName = 'idempotency'
var tags = {
  owner: owner
  'cost-centre': costCentre
  environment: environmentName
}
var access = loadJsonContent('access.json')

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: tags
    logRetentionInDays: logRetentionInDays
    alertActionGroupId: alertActionGroupId
    failureRateThresholdPercent: failureRateThresholdPercent
  }
}

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    vnetName: names.vnet
    location: location
    tags: tags
    addressPrefix: vnetAddressPrefix
    logicAppSubnetPrefix: logicAppSubnetPrefix
  }
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: {
    names: access.identities
    location: location
    tags: tags
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    namespaceName: names.serviceBusNamespace
    location: location
    tags: tags
    sku: serviceBusSku
    capacity: serviceBusCapacity
    workspaceId: monitoring.outputs.workspaceId
  }
}

module deadLetterAlerts 'modules/dead-letter-alerts.bicep' = {
  name: 'dead-letter-alerts'
  params: {
    serviceBusNamespaceName: names.serviceBusNamespace
    tags: tags
    subscriptions: serviceBus.outputs.subscriptions
    alertActionGroupId: alertActionGroupId
  }
}

module entitySizeAlerts 'modules/entity-size-alerts.bicep' = {
  name: 'entity-size-alerts'
  params: {
    serviceBusNamespaceName: names.serviceBusNamespace
    tags: tags
    topics: serviceBus.outputs.topics
    alertActionGroupId: alertActionGroupId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    hostStorageAccountName: names.hostStorageAccount
    lakeStorageAccountName: names.lakeStorageAccount
    location: location
    tags: tags
    containerNames: [
      lakeContainerName
      idempotencyContainerName
    ]
    // Each subscriber's records and its alert workflow's ('<subscription>-alerts'), by one prefix per subscription.
    expiringRecordPrefixes: [
      '${idempotencyContainerName}/${appWorkflowSettings.Orders_SapFulfillmentSubscriptionName}'
      '${idempotencyContainerName}/${appWorkflowSettings.Orders_SmsNotificationSubscriptionName}'
      '${idempotencyContainerName}/${appWorkflowSettings.Orders_WarehouseInventorySubscriptionName}'
      '${idempotencyContainerName}/${appWorkflowSettings.Orders_LakeArchiveSubscriptionName}'
    ]
    idempotencyRetentionDays: runRetentionInDays + idempotencyRetentionMarginDays
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    keyVaultName: names.keyVault
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    secrets: {
      'sap-user-name': sapUserName
      'sap-password': sapPassword
    }
  }
}

module logicApp 'modules/logicapp.bicep' = {
  name: 'logicapp'
  params: {
    logicAppName: names.logicApp
    planName: names.plan
    location: location
    tags: tags
    identities: identities.outputs.identities
    subnetId: network.outputs.logicAppSubnetId
    instanceCount: logicAppInstanceCount
    hostStorageAccountName: names.hostStorageAccount
    appInsightsName: names.appInsights
    workspaceId: monitoring.outputs.workspaceId
    keyVaultName: names.keyVault
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    lakeBlobEndpoint: storage.outputs.lakeBlobEndpoint
    lakeContainerName: lakeContainerName
    idempotencyContainerName: idempotencyContainerName
    workflowSettings: appWorkflowSettings
    sapConnection: sapConnection
    runRetentionInDays: runRetentionInDays
    intakeAuthentication: {
      issuer: intakeTokenIssuer
      apiClientId: intakeApiClientId
      audiences: [
        'api://${intakeApiClientId}'
        intakeApiClientId
      ]
      // The publisher first: the only caller unless the environment lets its release's smoke test in.
      callerClientIds: concat([publisherClientId], empty(smokeTestCallerClientId) ? [] : [smokeTestCallerClientId])
      callerObjectIds: concat([publisherPrincipalObjectId], empty(smokeTestCallerObjectId) ? [] : [smokeTestCallerObjectId])
    }
    twilioAccountSid: twilioAccountSid
    twilioAuthToken: twilioAuthToken
  }
  dependsOn: [
    keyVault
  ]
}

// Identities created here and principals given as parameters, by the keys access.json uses.
var principals = union(
  toObject(identities.outputs.identities, i => i.name, i => {
    id: i.principalId
    type: 'ServicePrincipal'
  }),
  {
    publisherPrincipalObjectId: {
      id: publisherPrincipalObjectId
      type: 'ServicePrincipal'
    }
    operatorsGroupObjectId: {
      id: operatorsGroupObjectId
      type: 'Group'
    }
    powerBiRefreshPrincipalObjectId: {
      id: powerBiRefreshPrincipalObjectId
      type: 'ServicePrincipal'
    }
  }
)

module accessGrants 'modules/access.bicep' = {
  name: 'access'
  params: {
    grants: access.grants
    roleIds: access.roles
    principals: principals
    serviceBusNamespaceName: names.serviceBusNamespace
    lakeStorageAccountName: names.lakeStorageAccount
    keyVaultName: names.keyVault
    workspaceName: names.workspace
    logicAppName: names.logicApp
  }
  // The scopes (entities, containers, secrets, the workspace, the app) must exist first.
  dependsOn: [
    serviceBus
    storage
    keyVault
    monitoring
    logicApp
  ]
}

module governance 'modules/governance.bicep' = {
  name: 'governance'
  params: {
    allowedLocations: allowedLocations
    requiredTags: objectKeys(tags)
    diagnosticResourceTypes: [
      'Microsoft.ServiceBus/namespaces'
      'Microsoft.KeyVault/vaults'
      'Microsoft.Web/sites'
    ]
    hostStorageAccountName: names.hostStorageAccount
  }
  dependsOn: [
    storage
  ]
}

output logicAppName string = logicApp.outputs.name
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output lakeStorageAccountName string = names.lakeStorageAccount
output keyVaultName string = names.keyVault
output appInsightsName string = names.appInsights
