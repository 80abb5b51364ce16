// The Service Bus namespace and every queue, topic, subscription and rule of deploy/servicebus/Config.json, the single
// topology source the local broker runs too. Nothing here names an entity: whatever Config.json holds is deployed.
param namespaceName string
param location string
param tags object
@allowed(['Standard', 'Premium'])
param sku string
@description('Messaging units (Premium only).')
param capacity int
param workspaceId string

// The emulator's schema caps times to live at PT1H and duplicate detection at PT5M; Azure gets production values on
// top of Config.json's, from deploy/servicebus/Azure.json (which the deadletters verb reads too). A message's expiry is
// fixed when it is enqueued and the entity's default is its ceiling (Learn, "Message expiration (Time to Live)"), so
// the topic and its subscriptions keep a message through a 14-day outage, a dead-letter queue keeps an unanswered alert
// 30 days and then dead-letters it instead of dropping it, and duplicates are detected for an hour.
var azure = loadJsonContent('../../servicebus/Azure.json')
var azureQueues = toObject(items(azure.Queues), p => '${toLower(substring(p.key, 0, 1))}${substring(p.key, 1)}', p => p.value)
var azureTopics = toObject(items(azure.Topics), p => '${toLower(substring(p.key, 0, 1))}${substring(p.key, 1)}', p => p.value)
var azureSubscriptions = toObject(items(azure.Subscriptions), p => '${toLower(substring(p.key, 0, 1))}${substring(p.key, 1)}', p => p.value)

// The emulator's format (Learn, "Configure the Service Bus emulator": Config.json). Its entity properties are ARM's in
// PascalCase; ARM spells "not forwarded" by leaving the property out where the emulator writes ''. A test compares
// the compiled result with an independent mapping and fails on any Config.json property ARM does not know.
var topology = loadJsonContent('../../servicebus/Config.json').UserConfig.Namespaces[0]

var queues = map(topology.?Queues ?? [], q => {
  name: q.Name
  properties: union(toObject(filter(items(q.?Properties ?? {}), p => p.value != ''), p => '${toLower(substring(p.key, 0, 1))}${substring(p.key, 1)}', p => p.value), azureQueues)
})

var topics = map(topology.?Topics ?? [], t => {
  name: t.Name
  properties: union(toObject(filter(items(t.?Properties ?? {}), p => p.value != ''), p => '${toLower(substring(p.key, 0, 1))}${substring(p.key, 1)}', p => p.value), azureTopics)
})

var subscriptions = flatten(map(topology.?Topics ?? [], t => map(t.?Subscriptions ?? [], s => {
  topic: t.Name
  name: s.Name
  properties: union(toObject(filter(items(s.?Properties ?? {}), p => p.value != ''), p => '${toLower(substring(p.key, 0, 1))}${substring(p.key, 1)}', p => p.value), azureSubscriptions)
})))

// Rules: FilterType Sql|Correlation becomes SqlFilter|CorrelationFilter; the correlation filter's Subject is ARM's label.
var rules = flatten(map(topology.?Topics ?? [], t => flatten(map(t.?Subscriptions ?? [], s => map(s.?Rules ?? [], r => {
  topic: t.Name
  subscription: s.Name
  name: r.Name
  properties: union(
    { filterType: '${r.Properties.FilterType}Filter' },
    contains(r.Properties, 'SqlFilter') ? { sqlFilter: { sqlExpression: r.Properties.SqlFilter.SqlExpression } } : {},
    contains(r.Properties, 'CorrelationFilter')
      ? { correlationFilter: toObject(items(r.Properties.CorrelationFilter), p => p.key == 'Subject' ? 'label' : '${toLower(substring(p.key, 0, 1))}${substring(p.key, 1)}', p => p.value) }
      : {},
    contains(r.Properties, 'Action') ? { action: { sqlExpression: r.Properties.Action.SqlExpression } } : {}
  )
})))))

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
    capacity: sku == 'Premium' ? capacity : null
  }
  properties: {
    // Microsoft Entra only: no SAS keys (Learn, "Disable local or shared access key authentication with Azure Service Bus").
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queueResources 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [for q in queues: {
  parent: namespace
  name: q.name
  properties: q.properties
}]

resource topicResources 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = [for t in topics: {
  parent: namespace
  name: t.name
  properties: t.properties
}]

// Dead letters are forwarded to queues, so the queues come first.
resource subscriptionResources 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = [for s in subscriptions: {
  name: '${namespace.name}/${s.topic}/${s.name}'
  properties: s.properties
  dependsOn: [
    topicResources
    queueResources
  ]
}]

resource ruleResources 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2024-01-01' = [for r in rules: {
  name: '${namespace.name}/${r.topic}/${r.subscription}/${r.name}'
  properties: r.properties
  dependsOn: [
    subscriptionResources
  ]
}]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
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

@description('The topics as deployed (name, properties): an alert watches each one\'s size against its quota.')
output topics array = topics
@description('The subscriptions as deployed (topic, name, properties): the monitoring module alerts on their dead-letter queues.')
output subscriptions array = subscriptions
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
