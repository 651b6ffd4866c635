################################################################################
#
# godaemon
#
################################################################################

GODAEMON_VERSION = 0.1
# The source is this tree: package/godaemon is a symlink to its
# packaging/buildroot directory. Copied instead, point
# GODAEMON_OVERRIDE_SRCDIR at the tree in local.mk.
GODAEMON_SITE = $(realpath $(GODAEMON_PKGDIR))/../..
GODAEMON_SITE_METHOD = local
GODAEMON_INSTALL_STAGING = YES

# The project's own size flags (-Os, --gc-sections, static, stripped) stay:
# only the compiler and the binutils prefix come from Buildroot. ARCH gives
# aarch64 its 4 KiB max-page-size.
GODAEMON_MAKE_OPTS = \
	CC="$(TARGET_CC)" \
	CROSS_COMPILE="$(TARGET_CROSS)" \
	ARCH="$(ARCH)" \
	BUILD=$(@D)/build

# Installed after BusyBox, so that its start-stop-daemon link is replaced.
ifeq ($(BR2_PACKAGE_GODAEMON_START_STOP_DAEMON),y)
GODAEMON_DEPENDENCIES += $(if $(BR2_PACKAGE_BUSYBOX),busybox)
GODAEMON_SSD_SED =
else
GODAEMON_SSD_SED = -e 's|^CONFIG_FEATURE_GODAEMON_SSD=y|\# CONFIG_FEATURE_GODAEMON_SSD is not set|'
endif

define GODAEMON_CONFIGURE_CMDS
	sed -e 's|^CONFIG_GODAEMON_PIDDIR=.*|CONFIG_GODAEMON_PIDDIR="$(call qstrip,$(BR2_PACKAGE_GODAEMON_PIDDIR))"|' \
		$(GODAEMON_SSD_SED) $(@D)/config/defconfig > $(@D)/.config
endef

define GODAEMON_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(GODAEMON_MAKE_OPTS) all
endef

define GODAEMON_INSTALL_STAGING_CMDS
	$(INSTALL) -D -m 0644 $(@D)/build/libgodaemon.a $(STAGING_DIR)/usr/lib/libgodaemon.a
	$(INSTALL) -D -m 0644 $(@D)/applet/godaemon.h $(STAGING_DIR)/usr/include/godaemon.h
endef

define GODAEMON_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0755 $(@D)/build/godaemon $(TARGET_DIR)/sbin/godaemon
	$(if $(BR2_PACKAGE_GODAEMON_START_STOP_DAEMON),ln -sf godaemon $(TARGET_DIR)/sbin/start-stop-daemon)
endef

$(eval $(generic-package))
