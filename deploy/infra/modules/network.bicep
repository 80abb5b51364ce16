// Virtual network integration for the Logic App: SAP is reached through the VNet, and stateful mode of the built-in
// Service Bus and SAP connectors requires it (Microsoft Learn, "Enable stateful mode for stateless built-in connectors
// in Azure Logic Apps", Prerequisites: "An Azure virtual network with a subnet to integrate with your logic app").
param vnetName string
param location string
param tags object
@description('Address space of the virtual network.')
param addressPrefix string
@description('Subnet of the Logic App. Azure Functions Premium (the Workflow Standard plan is elastic premium) asks for at least 100 free addresses per integration subnet: a /24 or larger.')
param logicAppSubnetPrefix string

var logicAppSubnetName = 'snet-logicapp'

resource nsg 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {
  name: 'nsg-${vnetName}-logicapp'
  location: location
  tags: tags
  properties: {
    securityRules: []
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressPrefix]
    }
    subnets: [
      {
        name: logicAppSubnetName
        properties: {
          addressPrefix: logicAppSubnetPrefix
          networkSecurityGroup: {
            id: nsg.id
          }
          // VNet integration needs a subnet delegated to Microsoft.Web/serverFarms (Learn, "Enable virtual network
          // integration in Azure App Service").
          delegations: [
            {
              name: 'delegation-web-serverfarms'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
    ]
  }
}

@description('Resource id of the subnet the Logic App integrates with.')
output logicAppSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, logicAppSubnetName)
