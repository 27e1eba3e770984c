// The storage account of both processes and of the Functions host: VeloZ's tables, the queue that
// carries API-to-worker notes, the blob container of the worker's leader lease, and the container
// Flex Consumption deploys the API package from. Shared keys are off: every client (the Functions
// host, the API, the worker, the deployment) signs in with its managed identity.

@description('Azure region.')
param location string

@description('Storage account name (3-24 lower-case letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param accountName string

@description('VELOZ_STORAGE_PREFIX: prefix of every VeloZ table, queue and container name.')
param storagePrefix string

@description('Names (without the prefix) of the tables VeloZ uses; the processes create missing ones at start-up too.')
param tableNames string[]

@description('Queue of notes from the API to the worker.')
param workerQueueName string

@description('Blob container holding the worker\'s leader lease.')
param leaseContainerName string

@description('Blob container Flex Consumption deploys the Function App package from.')
param deploymentContainerName string

@description('Data-plane roles on the account: who (a stable id naming the assignment, and the principal) gets which role definition (GUID).')
param roleAssignments {
  id: string
  principalId: string
  roleDefinitionGuid: string
}[]

@description('Tags for every resource.')
param tags object

resource account 'Microsoft.Storage/storageAccounts@2026-06-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-06-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-06-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource leaseContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-06-01' = {
  parent: blobService
  name: leaseContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2026-06-01' = {
  parent: account
  name: 'default'
}

resource workerQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2026-06-01' = {
  parent: queueService
  name: workerQueueName
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2026-06-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2026-06-01' = [
  for table in tableNames: {
    parent: tableService
    name: '${storagePrefix}${table}'
  }
]

resource roles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: guid(account.id, assignment.id, assignment.roleDefinitionGuid)
    scope: account
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionGuid)
      principalId: assignment.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

output accountName string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
output workerQueueName string = workerQueue.name
output leaseContainerName string = leaseContainer.name
