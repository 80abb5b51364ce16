// Log Analytics workspace, workspace-based Application Insights, the operators' workbook and the failure-rate log
// alert. The KQL lives in deploy/monitoring/*.kql; the workbook and the alert use those files verbatim.
param workspaceName string
param appInsightsName string
param location string
param tags object
param logRetentionInDays int
@description('Resource id of an action group that alerts notify; empty = alerts fire without notifications.')
param alertActionGroupId string
param failureRateThresholdPercent int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, 'order-integration-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Order integration'
    category: 'workbook'
    sourceId: appInsights.id
    serializedData: loadTextContent('../../monitoring/workbook.json')
  }
}

resource failureRateAlert 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'workflow-failure-rate'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Order workflows: failed runs above threshold'
    description: 'Source: deploy/monitoring/alert-workflow-failure-rate.kql (loaded verbatim).'
    severity: 2
    enabled: true
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    scopes: [
      appInsights.id
    ]
    criteria: {
      allOf: [
        {
          query: loadTextContent('../../monitoring/alert-workflow-failure-rate.kql')
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'failureRatePercent'
          dimensions: [
            {
              name: 'workflow'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: failureRateThresholdPercent
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: empty(alertActionGroupId) ? [] : [alertActionGroupId]
    }
  }
}

output workspaceId string = workspace.id
