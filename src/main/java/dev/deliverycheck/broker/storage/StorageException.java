package dev.deliverycheck.broker.storage;

/** The storage device failed (an I/O error of the real disk). The broker cannot continue safely. */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
