<?xml version="1.0" encoding="UTF-8"?>
<!-- The sign-in page. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('login.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <section class="login-wrap">
      <div class="login-card">
        <h1><xsl:value-of select="i:t('login.heading')"/></h1>
        <p class="muted"><xsl:value-of select="i:t('login.subtitle')"/></p>
        <xsl:if test="string(login/@error)">
          <div class="alert alert-error" role="alert" id="login-error">
            <xsl:value-of select="i:t(login/@error)"/>
          </div>
        </xsl:if>
        <form method="post" action="/cc/login" id="login-form" autocomplete="on">
          <input type="hidden" name="_csrf" value="{@csrf}"/>
          <label for="username"><xsl:value-of select="i:t('login.username')"/></label>
          <input type="text" id="username" name="username" required="required"
                 autocomplete="username" maxlength="100" value="{login/@username}"/>
          <label for="password"><xsl:value-of select="i:t('login.password')"/></label>
          <input type="password" id="password" name="password" required="required"
                 autocomplete="current-password" maxlength="256"/>
          <button type="submit" class="btn btn-primary btn-block" id="btn-login">
            <xsl:value-of select="i:t('login.submit')"/>
          </button>
        </form>
        <p class="hint"><xsl:value-of select="i:t('login.hint')"/></p>
      </div>
    </section>
  </xsl:template>
</xsl:stylesheet>
