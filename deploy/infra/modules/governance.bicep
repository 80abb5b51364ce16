// Azure Policy at the resource group: built-in definitions only, named by id and display name as in Microsoft Learn,
// "List of built-in policy definitions". What each enforces and how an exemption is requested: docs/identities.md,
// "Governance". Deny where this template already complies; audit where a built-in only audits.
param allowedLocations array
@description('Tag names every taggable resource must carry.')
param requiredTags array
@description('Resource types whose diagnostic settings (to the workspace) are audited.')
param diagnosticResourceTypes array
@description('The Functions host storage account, exempt from the shared-key rule (docs/identities.md, "No keys").')
param hostStorageAccountName string

var storageSharedKeyAssignmentName = 'orders-storage-no-shared-key'

var builtInPolicies = [
  {
    name: 'orders-servicebus-no-local-auth'
    definitionId: 'cfb11c26-f069-4c14-8e36-56c394dae5af'
    displayName: 'Azure Service Bus namespaces should have local authentication methods disabled'
    parameters: {
      effect: {
        value: 'Deny'
      }
    }
  }
  {
    name: storageSharedKeyAssignmentName
    definitionId: '8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54'
    displayName: 'Storage accounts should prevent shared key access'
    parameters: {
      effect: {
        value: 'Deny'
      }
    }
  }
  {
    name: 'orders-keyvault-rbac'
    definitionId: '12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5'
    displayName: 'Azure Key Vault should use RBAC permission model'
    parameters: {
      effect: {
        value: 'Deny'
      }
    }
  }
  {
    name: 'orders-diagnostic-settings'
    definitionId: '7f89b1eb-583c-429a-8828-af049802c1d9'
    displayName: 'Audit diagnostic setting for selected resource types'
    parameters: {
      listOfResourceTypes: {
        value: diagnosticResourceTypes
      }
    }
  }
  {
    name: 'orders-allowed-locations'
    definitionId: 'e56962a6-4747-49cd-b67b-bf8b01975c4c'
    displayName: 'Allowed locations'
    parameters: {
      listOfAllowedLocations: {
        value: allowedLocations
      }
    }
  }
]

var tagPolicies = map(requiredTags, tag => {
  name: 'orders-require-tag-${tag}'
  definitionId: '871b6d14-10aa-478d-b590-94f262ecfa99'
  displayName: 'Require a tag on resources'
  parameters: {
    tagName: {
      value: tag
    }
  }
})

var policies = concat(builtInPolicies, tagPolicies)

resource assignments 'Microsoft.Authorization/policyAssignments@2024-04-01' = [for p in policies: {
  name: p.name
  properties: {
    displayName: '${p.displayName} (order integration)'
    policyDefinitionId: tenantResourceId('Microsoft.Authorization/policyDefinitions', p.definitionId)
    parameters: p.parameters
    enforcementMode: 'Default'
    nonComplianceMessages: [
      {
        message: 'Order integration governance: see docs/identities.md, "Governance", for what this enforces and how to request an exemption.'
      }
    ]
  }
}]

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageAccountName
}

// The one standing exemption: the Logic Apps runtime's host storage needs shared keys (docs/identities.md, "No keys").
resource hostStorageExemption 'Microsoft.Authorization/policyExemptions@2022-07-01-preview' = {
  name: 'orders-host-storage-shared-key'
  scope: hostStorage
  properties: {
    policyAssignmentId: resourceId('Microsoft.Authorization/policyAssignments', storageSharedKeyAssignmentName)
    exemptionCategory: 'Mitigated'
    displayName: 'Logic App host storage keeps shared keys'
    description: 'AzureWebJobsStorage and the content share of the Logic Apps Standard runtime use a connection string; the account holds no business data. See docs/identities.md, "No keys".'
  }
  dependsOn: [
    assignments
  ]
}
