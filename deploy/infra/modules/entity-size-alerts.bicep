// One metric alert per topic: it holds 80 % of its size quota (MaxSizeInMegabytes from deploy/servicebus/Config.json).
// At 100 % Service Bus refuses every send with QuotaExceeded and OrderIntake answers 503 (docs/operations.md, "When the
// orders topic is full"); the alert comes before that. Metric Size (bytes, dimension EntityName): Learn, "Supported
// metrics - Microsoft.ServiceBus/Namespaces".
param serviceBusNamespaceName string
param tags object
@description('The topics as the Service Bus module deployed them (name, properties).')
param topics array
@description('Resource id of an action group that alerts notify; empty = alerts fire without notifications.')
param alertActionGroupId string
@description('Share of a topic\'s size quota that raises the alert.')
param thresholdPercent int = 80

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

// Azure's default quota when a topic does not state one (Learn, "Service Bus quotas": 1 GB).
var defaultMaxSizeInMegabytes = 1024

resource sizeAlerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [for t in topics: {
  name: 'topic-size-${t.name}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Topic ${t.name} holds ${thresholdPercent} % of its ${t.properties.?maxSizeInMegabytes ?? defaultMaxSizeInMegabytes} MB quota; at 100 % sends are refused (QuotaExceeded) and OrderIntake answers 503. Drain the subscription that holds the messages (docs/operations.md).'
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
          name: 'TopicSize'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'Size'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                t.name
              ]
            }
          ]
          operator: 'GreaterThanOrEqual'
          threshold: (t.properties.?maxSizeInMegabytes ?? defaultMaxSizeInMegabytes) * 1048576 / 100 * thresholdPercent
          timeAggregation: 'Maximum'
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
