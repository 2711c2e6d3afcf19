package org.kabar.server.cluster.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.kabar.server.node.NodeSettings;

/**
 * The periodic copy of seed S3.3 and S3.4: every KABAR_REPLICATION_SECONDS (60 by default) this
 * server's Connected rows and the undelivered messages it holds go to every active server, so an
 * update lost on the way is made good.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ReplicationTimer {

  @Resource TimerService timers;

  @EJB Replication replication;

  @Inject NodeSettings settings;

  @PostConstruct
  void schedule() {
    long interval = settings.replicationSeconds() * 1000L;
    timers.createIntervalTimer(interval, interval, new TimerConfig("replication", false));
  }

  @Timeout
  void copy() {
    replication.periodicCopy();
  }
}
