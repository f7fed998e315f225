package org.crmkit.workflow;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A small pool of real connections whose {@link #cut()} makes a node vanish as a crash would: every physical
 * connection is closed at once (the database rolls back their transactions and drops their locks), and every later
 * call fails with an {@link SQLException}. Nothing is committed, released or cleaned up on the node's behalf.
 */
final class CuttableDataSource implements DataSource {
    private final String url;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    CuttableDataSource(String url) {
        this.url = url;
    }

    void cut() {
        cut = true;
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                // already gone
            }
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (cut) {
            throw new SQLException("connection refused: node was cut off");
        }
        Connection physical = idle.poll();
        if (physical == null || physical.isClosed()) {
            physical = DriverManager.getConnection(url);
            physical.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            all.add(physical);
        }
        Connection c = physical;
        java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (cut) {
                        throw new SQLException("connection lost: node was cut off");
                    }
                    if (method.getName().equals("isClosed")) {
                        return returned.get() || c.isClosed();
                    }
                    if (method.getName().equals("close")) {
                        if (!returned.compareAndSet(false, true)) {
                            return null; // closing twice returns the connection once
                        }
                        if (!c.getAutoCommit()) {
                            c.rollback();
                            c.setAutoCommit(true);
                        }
                        idle.add(c);
                        return null;
                    }
                    if (returned.get()) {
                        throw new SQLException("connection is closed");
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    void closeAll() {
        cut();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
