// The worker: one always-on container in Azure Container Apps. Exactly one replica (minReplicas =
// maxReplicas = 1, single revision mode) because it owns the venue connections and sequences every
// event; it never scales to zero. A revision change can still overlap two copies for a moment, which
// the worker's storage lease covers. No ingress: the worker serves nothing to the outside. It listens
// on the container's address only for the platform's probes (/health/live restarts a process that stops
// answering; /health/ready reports whether its heartbeat reaches storage): with Azure SignalR Service the
// worker maps no hub, so that port serves the probes and nothing else.

@description('Azure region.')
param location string

@description('Container Apps environment name.')
param environmentName string

@description('Container app name (2-32 lower-case letters, digits and hyphens).')
@maxLength(32)
param appName string

@description('Log Analytics workspace that receives the container\'s console output.')
param workspaceName string

@description('Resource id of the worker\'s user-assigned identity.')
param identityId string

@description('Client id of the worker\'s user-assigned identity.')
param identityClientId string

@description('Whether to create the container app (false until an image has been pushed).')
param deployApp bool

@description('Worker image, e.g. myregistry.azurecr.io/veloz-worker:1.')
param image string

@description('Registry login server the image is pulled from with the identity.')
param registryServer string

@description('Application Insights component that receives the worker\'s traces, metrics and logs (OpenTelemetry).')
param applicationInsightsName string

@description('Storage account of VeloZ\'s state.')
param storageAccountName string

@description('VeloZ settings that are plain values (VELOZ_*), shared with the API.')
param settings object

@description('Settings read from Key Vault: environment variable name to secret URL.')
param keyVaultSettings object

@description('Tags for every resource.')
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2026-03-01' existing = {
  name: workspaceName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource environment 'Microsoft.App/managedEnvironments@2026-07-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
  }
}

// Container Apps secret names: lower-case letters, digits and hyphens.
var secretNames = map(objectKeys(keyVaultSettings), key => {
  variable: key
  secret: toLower(replace(key, '_', '-'))
})

resource app 'Microsoft.App/containerApps@2026-07-01' = if (deployApp) {
  name: appName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
      secrets: [
        for entry in secretNames: {
          name: entry.secret
          keyVaultUrl: keyVaultSettings[entry.variable]
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: image
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: concat(
            map(items(settings), setting => {
              name: setting.key
              value: string(setting.value)
            }),
            map(secretNames, entry => {
              name: entry.variable
              secretRef: entry.secret
            }),
            [
              // Identity-based storage, the same convention as the Functions host.
              {
                name: 'AzureWebJobsStorage__accountName'
                value: storageAccountName
              }
              {
                name: 'AzureWebJobsStorage__clientId'
                value: identityClientId
              }
              {
                name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
                value: applicationInsights.properties.ConnectionString
              }
              {
                name: 'VELOZ_HUB_URL'
                // The probes' port, on every address of the container (the probes below use the same port).
                value: 'http://0.0.0.0:8081'
              }
            ]
          )
          probes: [
            {
              // Up to 60 s to start (configuration, storage, the lease) before liveness applies.
              type: 'Startup'
              httpGet: {
                path: '/health/live'
                port: 8081
              }
              periodSeconds: 2
              failureThreshold: 30
            }
            {
              // Restarts only a process that no longer answers; a storage outage is not cured by a restart.
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: 8081
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: 8081
              }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: 1
      }
    }
  }
}

output environmentName string = environment.name
output appName string = deployApp ? app.name : ''
