// One metric alert per subscription: a message arrived in the queue its dead letters are forwarded to.
param serviceBusNamespaceName string
param tags object
@description('The subscriptions as the Service Bus module deployed them (topic, name, properties).')
param subscriptions array
@description('Resource id of an action group that alerts notify; empty = alerts fire without notifications.')
param alertActionGroupId string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource deadLetterAlerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [for s in filter(subscriptions, s => !empty(s.properties.?forwardDeadLetteredMessagesTo ?? '')): {
  name: 'dead-letters-${s.name}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Dead letters of subscription ${s.name} arrived in queue ${s.properties.forwardDeadLetteredMessagesTo} (forwarded by ForwardDeadLetteredMessagesTo).'
    severity: 2
    enabled: true
    scopes: [
      namespace.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'IncomingDeadLetters'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'IncomingMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                s.properties.forwardDeadLetteredMessagesTo
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Total'
        }
      ]
    }
    actions: empty(alertActionGroupId) ? [] : [
      {
        actionGroupId: alertActionGroupId
      }
    ]
  }
}]
