import { graphql } from "../../gql";

export const AnalyticsPageQuery = graphql(`
  query AnalyticsPage($period: AnalyticsPeriod) {
    analytics(period: $period) {
      range {
        from
        to
        days
      }
      products {
        totalItems
        byStatus {
          status
          count
        }
        byPlatform {
          platform
          items
          listings
          byStatus {
            status
            count
          }
        }
      }
      inventoryValue {
        total {
          items
          units
          valueAtPrice
          valueAtCost
          itemsWithoutPrice
          itemsWithoutCost
        }
        byPlatform {
          platform
          listings
          units
          valueAtPrice
          valueAtCost
        }
        daily {
          day
          valueAtPrice
          valueAtCost
        }
      }
      stockDistribution {
        channel
        items
        units
        availableUnits
        valueAtPrice
        valueAtCost
      }
      alerts {
        open
        openByType {
          type
          count
        }
        openByPriority {
          priority
          count
        }
        raised
        daily {
          day
          raised
          resolved
          open
        }
      }
      sync {
        byType {
          jobType
          jobs
          successRate
          medianDurationMs
          p95DurationMs
          itemsPerSecond
          conflictsPerJob
          conflictRate
        }
        byTypeAndPlatform {
          jobType
          platform
          jobs
          successRate
          medianDurationMs
          p95DurationMs
          itemsPerSecond
        }
        daily {
          day
          jobs
          succeeded
          failed
          medianDurationMs
        }
      }
      platforms {
        platform
        jobs
        failedJobs
        writes
        failedWrites
        errorRate
        jobErrorRate
        conflicts
        conflictRate
      }
    }
  }
`);

export const AnalyticsSummaryQuery = graphql(`
  query AnalyticsSummary {
    analytics(period: LAST_7_DAYS) {
      inventoryValue {
        total {
          items
          units
          valueAtPrice
          valueAtCost
        }
      }
      alerts {
        open
        raised
      }
    }
  }
`);
